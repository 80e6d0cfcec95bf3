// Pod volumes, as the features' plans read and build them.

import type { Pod, Volume } from './types.ts';

export function findVolume(pod: Pod, name: string): Volume | undefined {
  return pod.spec?.volumes?.find((volume) => volume.name === name);
}

/** An `emptyDir: {}` volume, the only kind the injectors create besides the host localtime. */
export function buildEmptyDirVolume(name: string): Volume {
  return { name, emptyDir: {} };
}
