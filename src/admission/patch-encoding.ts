// The patch as the AdmissionResponse carries it: the UTF-8 bytes of its JSON, in base64.
//
// Built so that no string of more than 64 Ki characters is ever made. V8 puts a string over 128 KiB in
// its large-object space, and here one costs about ten times more per byte than a smaller one (measured:
// the base64 of 90 KiB in 17 µs, of 96 KiB in 159 µs). Writing a concatenation of strings anywhere — into
// a Buffer, to a socket, even Buffer.byteLength — first copies it into one such string. The 100-container
// bench pod (a 144 KiB patch) paid that three times per admission, about 0.6 ms: for the JSON, for its
// base64 and for the answer around it.
//
// So the JSON is written to a buffer in pieces, the base64 is made slice by slice, and the answer body is
// written from those slices (review-text.ts). `base64` is their concatenation, for whoever reads the review
// as an object (the CLI, the tests); the webhook never makes it into one string.

import { writeOperationsText, type Operation } from './patch.ts';

export interface EncodedPatch {
  /** The base64 text: the concatenation of `pieces`. */
  readonly base64: string;
  /** The base64 text in order, in pieces of at most BASE64_PIECE_CHARS characters. */
  readonly pieces: readonly string[];
}

/** Pieces of JSON text are written to the buffer once this long: far below the large-object size. */
const JSON_PIECE_UNITS = 32 * 1024;
/** The bytes encoded per base64 piece: a multiple of 3, so that the pieces' concatenation is the whole's base64. */
const BASE64_PIECE_INPUT_BYTES = 48 * 1024;
export const BASE64_PIECE_CHARS = (BASE64_PIECE_INPUT_BYTES / 3) * 4;
/** Patches up to this size are encoded through one reused buffer instead of a new one per request. */
const SCRATCH_BYTES = 256 * 1024;
/** UTF-8 needs at most three bytes per UTF-16 code unit (a surrogate pair: four bytes for two units). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

let scratch: Buffer | undefined;

/** The operations' JSON as UTF-8, in the reused buffer when it fits and in a buffer of its own when not. */
function jsonBytes(operations: readonly Operation[]): { readonly buffer: Buffer; readonly length: number } {
  scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  let buffer = scratch;
  let length = 0;
  writeOperationsText(operations, JSON_PIECE_UNITS, (piece) => {
    const needed = length + piece.length * MAX_UTF8_BYTES_PER_UNIT;
    if (needed > buffer.length) {
      // Never kept: a large patch must not leave a large buffer behind.
      const larger = Buffer.allocUnsafe(Math.max(needed, buffer.length * 2));
      buffer.copy(larger, 0, 0, length);
      buffer = larger;
    }
    length += buffer.write(piece, length, 'utf8');
  });
  return { buffer, length };
}

export function encodePatch(operations: readonly Operation[]): EncodedPatch {
  // Safe to share the buffer: the encoding is synchronous, and every base64 piece is a new string.
  const { buffer, length } = jsonBytes(operations);
  const pieces: string[] = [];
  let base64 = '';
  for (let start = 0; start < length; start += BASE64_PIECE_INPUT_BYTES) {
    const piece = buffer.toString('base64', start, Math.min(length, start + BASE64_PIECE_INPUT_BYTES));
    pieces.push(piece);
    // Concatenated, not joined: a join would copy the pieces into one large string.
    base64 += piece;
  }
  return { base64, pieces };
}
