// Edits on pod volumes.

import type { Pod, Volume } from './types.ts';
import { ensureSpec } from './containers.ts';

export function findVolume(pod: Pod, name: string): Volume | undefined {
  return pod.spec?.volumes?.find((volume) => volume.name === name);
}

/** An `emptyDir: {}` volume, the only kind the injectors create besides the host localtime. */
export function buildEmptyDirVolume(name: string): Volume {
  return { name, emptyDir: {} };
}

/** Appends the volume unless one with that name exists; returns whether it was added. */
export function addVolumeIfAbsent(pod: Pod, volume: Volume): boolean {
  if (findVolume(pod, volume.name)) return false;
  const spec = ensureSpec(pod);
  spec.volumes ??= [];
  spec.volumes.push(volume);
  return true;
}
