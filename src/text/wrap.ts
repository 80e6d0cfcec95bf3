// Word wrapping for terminal text (the CLI's usage): lines of at most `width` columns, broken at spaces.

/**
 * The text as lines of at most `width` characters: the first prefixed by `indent`, the others by
 * `hangingIndent` (both counted in the width). A word longer than the room is put on a line of its own
 * rather than cut: a flag or a path must stay whole.
 */
export function wrapText(text: string, width: number, indent = '', hangingIndent = indent): string[] {
  const lines: string[] = [];
  let line = '';
  const prefix = (): string => (lines.length === 0 ? indent : hangingIndent);
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (prefix().length + line.length + 1 + word.length <= width) line = `${line} ${word}`;
    else {
      lines.push(`${prefix()}${line}`);
      line = word;
    }
  }
  if (line !== '') lines.push(`${prefix()}${line}`);
  return lines;
}
