// How deeply a JSON text nests, decided on the raw bytes before JSON.parse: parsing 3 MiB of `[[[[…`
// takes V8 longer than the whole webhook may block (SPEC §15), and no object the API server sends nests
// that deep — its own decoder (Go's encoding/json) refuses more than 10,000 levels. One pass, no
// allocation; UTF-8 continuation bytes are ≥ 0x80, so they are never mistaken for brackets or quotes.

/** The nesting limit of Go's encoding/json, which the API server decodes every object with. */
export const MAX_JSON_DEPTH = 10_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** How many bytes of `text` equal `byte`, counting no further than `atMost + 1`. */
function countUpTo(text: Uint8Array, byte: number, atMost: number): number {
  let count = 0;
  for (let at = text.indexOf(byte); at !== -1 && count <= atMost; at = text.indexOf(byte, at + 1)) {
    count += 1;
  }
  return count;
}

/** Whether arrays and objects nest more than `limit` levels deep (brackets inside strings do not count). */
export function exceedsJsonDepth(text: Uint8Array, limit = MAX_JSON_DEPTH): boolean {
  // Each level opens with one byte: a text no longer than the limit cannot nest deeper than it, nor can
  // one with no more opening brackets than the limit. A pod has a few hundred; counting them (indexOf is
  // memchr) costs a fraction of reading every byte, which is left for the texts that have more.
  if (text.length <= limit) return false;
  const arrays = countUpTo(text, OPEN_ARRAY, limit);
  if (arrays + countUpTo(text, OPEN_OBJECT, limit - arrays) <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth -= 1;
    }
  }
  return false;
}
