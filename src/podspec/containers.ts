// Edits on containers and their volume mounts. Each edit adds only what is absent: the user wins.

import type { Container, Pod, PodSpec, VolumeMount } from './types.ts';

/** The pod's spec, created if missing so injectors can edit it. */
export function ensureSpec(pod: Pod): PodSpec {
  pod.spec ??= {};
  return pod.spec;
}

export function appContainers(pod: Pod): Container[] {
  return pod.spec?.containers ?? [];
}

export function initContainers(pod: Pod): Container[] {
  return pod.spec?.initContainers ?? [];
}

/** Every container name the pod uses, regular, init and ephemeral together (they share one namespace). */
export function allContainerNames(pod: Pod): Set<string> {
  const spec = pod.spec ?? {};
  const names = new Set<string>();
  for (const list of [spec.containers, spec.initContainers, spec.ephemeralContainers]) {
    if (!Array.isArray(list)) continue;
    for (const container of list as Container[]) names.add(container.name);
  }
  return names;
}

export function findInitContainer(pod: Pod, name: string): Container | undefined {
  return initContainers(pod).find((container) => container.name === name);
}

export function findContainer(pod: Pod, name: string): Container | undefined {
  return appContainers(pod).find((container) => container.name === name);
}

export function findMountAt(container: Container, mountPath: string): VolumeMount | undefined {
  return container.volumeMounts?.find((mount) => mount.mountPath === mountPath);
}

export type MountEdit = 'added' | 'present' | 'conflict';

/**
 * Mounts `mount` in the container unless it is already there. `conflict` when another volume is already
 * mounted at the same path: two mounts at one path make the pod invalid, so the caller must skip.
 */
export function addVolumeMountIfAbsent(container: Container, mount: VolumeMount): MountEdit {
  const existing = findMountAt(container, mount.mountPath);
  if (existing) return existing.name === mount.name ? 'present' : 'conflict';
  container.volumeMounts ??= [];
  container.volumeMounts.push(mount);
  return 'added';
}

/** Whether the container could take this mount without a second mount at the same path. */
export function canMount(container: Container, mount: VolumeMount): boolean {
  const existing = findMountAt(container, mount.mountPath);
  return !existing || existing.name === mount.name;
}
