// Reading containers and their volume mounts, for the features' plans (which never edit the pod).

import type { Container, Pod, VolumeMount } from './types.ts';

export function initContainers(pod: Pod): Container[] {
  return pod.spec?.initContainers ?? [];
}

/** The pod's regular, init and ephemeral container lists, those that are lists: they share one namespace. */
function containerLists(pod: Pod): Container[][] {
  const spec = pod.spec ?? {};
  const lists: Container[][] = [];
  for (const list of [spec.containers, spec.initContainers, spec.ephemeralContainers]) {
    if (Array.isArray(list)) lists.push(list as Container[]);
  }
  return lists;
}

/** Every container name the pod uses, regular, init and ephemeral together. */
export function allContainerNames(pod: Pod): Set<string> {
  const names = new Set<string>();
  for (const list of containerLists(pod)) for (const container of list) names.add(container.name);
  return names;
}

/** Whether any container of the pod, regular, init or ephemeral, has this name (no set is built). */
export function hasContainerNamed(pod: Pod, name: string): boolean {
  return containerLists(pod).some((list) => list.some((container) => container.name === name));
}

export function findInitContainer(pod: Pod, name: string): Container | undefined {
  return initContainers(pod).find((container) => container.name === name);
}

export function findMountAt(container: Container, mountPath: string): VolumeMount | undefined {
  return container.volumeMounts?.find((mount) => mount.mountPath === mountPath);
}

/** Whether the container could take this mount without a second mount at the same path. */
export function canMount(container: Container, mount: VolumeMount): boolean {
  const existing = findMountAt(container, mount.mountPath);
  return !existing || existing.name === mount.name;
}

/** Whether the container uses `path` for a raw block device (`volumeDevices`): no mount may go there. */
export function hasDeviceAt(container: Container, path: string): boolean {
  const devices = container.volumeDevices;
  return Array.isArray(devices) && devices.some((device) => device?.devicePath === path);
}

/**
 * A container's own copy of configured resources (the config is frozen and shared; YAML output would
 * turn one object used twice into an alias). Resources are two levels of plain values.
 */
export function copyResources<T extends object>(resources: T): T {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resources)) {
    copy[key] = typeof value === 'object' && value !== null ? { ...value } : value;
  }
  return copy as T;
}
