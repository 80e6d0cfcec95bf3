// The text of each element of a JSON array, compacted the way Go's json.Compact does it (whitespace
// outside strings removed, nothing else touched). Each logfwd sidecar gets its instance exactly as the
// user wrote it: re-serialising the parsed value would reorder integer-like keys, rewrite numbers
// (`1.0`, `1e3`, integers beyond 2^53) and drop duplicate keys.
//
// Linear in the text's length with small constants (SPEC §15: the annotation may be megabytes, and a
// million whitespace runs must not mean a million string concatenations): the kept character codes are
// copied into one buffer, turned into one string at the end, and each element is a slice of it.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** The string of the first `length` codes: UTF-16 code units as they are, lone surrogates included. */
function decode(codes: Uint16Array, length: number): string {
  return Buffer.from(codes.buffer, codes.byteOffset, length * 2).toString('utf16le');
}

/** The compacted text of each element. `text` must be valid JSON whose root is an array. */
export function splitJsonArrayElements(text: string): string[] {
  const kept = new Uint16Array(text.length);
  let length = 0;
  /** Start and end, in `kept`, of each element. */
  const bounds: number[] = [];
  let elementStart = 0;
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    i += 1;
    if (code === QUOTE) {
      // A string, copied as it is up to its closing quote; an escaped character never closes it.
      kept[length++] = code;
      while (i < text.length) {
        const inner = text.charCodeAt(i);
        i += 1;
        kept[length++] = inner;
        if (inner === QUOTE) break;
        if (inner === BACKSLASH && i < text.length) kept[length++] = text.charCodeAt(i++);
      }
      continue;
    }
    if (isJsonWhitespace(code)) continue;
    if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      depth += 1;
      if (depth === 1) {
        elementStart = length;
        continue;
      }
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth -= 1;
      if (depth === 0) {
        if (length > elementStart) bounds.push(elementStart, length);
        elementStart = length;
        continue;
      }
    } else if (code === COMMA && depth === 1) {
      bounds.push(elementStart, length);
      elementStart = length;
      continue;
    }
    kept[length++] = code;
  }
  const compact = decode(kept, length);
  const elements: string[] = [];
  for (let index = 0; index < bounds.length; index += 2) {
    elements.push(compact.slice(bounds[index], bounds[index + 1]));
  }
  return elements;
}
