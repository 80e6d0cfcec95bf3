// The text of each element of a JSON array, compacted the way Go's json.Compact does it (whitespace
// outside strings removed, nothing else touched). Each logfwd sidecar gets its instance exactly as the
// user wrote it: re-serialising the parsed value would reorder integer-like keys, rewrite numbers
// (`1.0`, `1e3`, integers beyond 2^53) and drop duplicate keys.

const JSON_WHITESPACE: ReadonlySet<string> = new Set([' ', '\t', '\n', '\r']);

/** The compacted text of each element. `text` must be valid JSON whose root is an array. */
export function splitJsonArrayElements(text: string): string[] {
  const elements: string[] = [];
  let current = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const char of text) {
    if (inString) {
      current += char;
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (JSON_WHITESPACE.has(char)) continue;
    if (char === '[' || char === '{') {
      depth += 1;
      if (depth === 1) continue;
    } else if (char === ']' || char === '}') {
      depth -= 1;
      if (depth === 0) {
        if (current !== '') elements.push(current);
        current = '';
        continue;
      }
    } else if (char === ',' && depth === 1) {
      elements.push(current);
      current = '';
      continue;
    } else if (char === '"') {
      inString = true;
    }
    current += char;
  }
  return elements;
}
