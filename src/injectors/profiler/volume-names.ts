// Choosing a name for a volume the profiler adds: the upstream name when it is free, otherwise the next
// candidate, so a user's own volume called `tmp` or `timezone` is never replaced or duplicated.

import type { Pod } from '../../podspec/types.ts';
import { findVolume } from '../../podspec/volumes.ts';

/** The first candidate no volume of the pod uses, or undefined when every candidate is taken. */
export function resolveFreeVolumeName(pod: Pod, candidates: readonly string[]): string | undefined {
  return candidates.find((name) => findVolume(pod, name) === undefined);
}
