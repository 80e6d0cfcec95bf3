// Where a JSON document is broken, as line and column. JSON.parse reports a position for only some of its
// errors (and in a format that changes between Node versions), so the offset comes from a small scanner
// of the JSON grammar; JSON.parse's own words still describe the problem.

export interface JsonSyntaxProblem {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters of that line. */
  readonly column: number;
  /** JSON.parse's description, without its position and the copy of the input it sometimes embeds. */
  readonly message: string;
}

export function describeJsonSyntaxError(text: string, error: unknown): JsonSyntaxProblem {
  const offset = findJsonErrorOffset(text) ?? text.length;
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return {
    line: before.split('\n').length,
    column: offset - lineStart + 1,
    message: cleanMessage(error instanceof Error ? error.message : String(error)),
  };
}

function cleanMessage(message: string): string {
  return message
    .replace(/, .*is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+(?: \(line \d+ column \d+\))?$/, '')
    .replace(/ after JSON at position \d+(?: \(line \d+ column \d+\))?$/, ' after the JSON value');
}

class ScanError {
  constructor(readonly offset: number) {}
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/y;

/** The offset of the first character that makes `text` invalid JSON, or undefined when it is valid. */
export function findJsonErrorOffset(text: string): number | undefined {
  let i = 0;

  const skipWhitespace = (): void => {
    while (i < text.length && WHITESPACE.has(text.charAt(i))) i++;
  };
  const expect = (char: string): void => {
    if (text.charAt(i) !== char) throw new ScanError(i);
    i++;
  };
  const scanString = (): void => {
    expect('"');
    for (;;) {
      if (i >= text.length) throw new ScanError(i);
      const char = text.charAt(i);
      if (char === '"') break;
      if (char < ' ') throw new ScanError(i);
      if (char === '\\') {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) throw new ScanError(i);
        i = ESCAPE.lastIndex;
      } else {
        i++;
      }
    }
    i++;
  };
  const scanValue = (): void => {
    skipWhitespace();
    const char = text.charAt(i);
    if (char === '{')
      return scanContainer('}', () => {
        skipWhitespace();
        scanString();
        skipWhitespace();
        expect(':');
        scanValue();
      });
    if (char === '[') return scanContainer(']', scanValue);
    if (char === '"') return scanString();
    const literal = LITERALS.find((word) => word.startsWith(char));
    if (literal !== undefined) {
      // Character by character, so `tru}` is reported at the `}`, where JSON.parse reports it too.
      for (const expected of literal) expect(expected);
      return;
    }
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) throw new ScanError(i);
    i = NUMBER.lastIndex;
  };
  const scanContainer = (close: string, scanMember: () => void): void => {
    i++;
    skipWhitespace();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    for (;;) {
      scanMember();
      skipWhitespace();
      if (text.charAt(i) === close) {
        i++;
        return;
      }
      expect(',');
    }
  };

  try {
    scanValue();
    skipWhitespace();
    return i < text.length ? i : undefined;
  } catch (error) {
    if (error instanceof ScanError) return error.offset;
    // Nesting deep enough to exhaust the stack: the caller falls back to the end of the text.
    return undefined;
  }
}
