// Reading and writing pod annotations, and the boolean convention of the `admission.datakit/*` switches:
// Go's strconv.ParseBool, because that is what the upstream operator (and its users' manifests) used.

import type { Pod } from './types.ts';

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go `strconv.ParseBool`: `undefined` for anything it would reject (including `yes`, ` true`, `tRUE`). */
export function parseGoBool(value: string): boolean | undefined {
  if (GO_TRUE.has(value)) return true;
  if (GO_FALSE.has(value)) return false;
  return undefined;
}

// Own properties only: `constructor` and `toString` are valid annotation keys, and the raw pod JSON may
// hold a non-string where the API server would not (we never trust it to be well-formed).
function readString(record: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
  if (record === undefined || record === null || !Object.hasOwn(record, key)) return undefined;
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** True only when the annotation is present and parses as false (missing/unparsable count as true, SPEC §4.1). */
export function isAnnotationFalse(
  annotations: Readonly<Record<string, string>> | undefined,
  key: string,
): boolean {
  const value = readString(annotations, key);
  return value !== undefined && parseGoBool(value) === false;
}

export function getAnnotation(pod: Pod, key: string): string | undefined {
  return readString(pod.metadata?.annotations, key);
}
