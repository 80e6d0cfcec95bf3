// The size of a pod's annotations as the API server limits it (apimachinery ValidateAnnotationsSize:
// keys plus values, in bytes, at most MAX_TOTAL_ANNOTATION_BYTES). Shared by the plan checker (a
// feature's set-annotation edits) and the status annotations, so both count the same way.

/** The annotations' size once `replacing` is set over them. */
export function annotationBytes(
  annotations: Readonly<Record<string, unknown>>,
  replacing: ReadonlyMap<string, string> = new Map(),
): number {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    if (replacing.has(key)) continue;
    total += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  for (const [key, value] of replacing) total += Buffer.byteLength(key) + Buffer.byteLength(value);
  return total;
}
