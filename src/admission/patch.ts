// The patch is the diff of the raw received object against the mutated copy of that same object
// (ARCHITECTURE §4 rule 2). Nothing is hand-addressed and nothing is round-tripped through a typed
// model, so unknown and newer fields survive byte-for-byte.

import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';

export type { Operation };

export function buildPatch(original: unknown, mutated: unknown): Operation[] {
  return fastJsonPatch.compare(original as object, mutated as object);
}

export function encodePatch(operations: readonly Operation[]): string {
  return Buffer.from(JSON.stringify(operations)).toString('base64');
}
