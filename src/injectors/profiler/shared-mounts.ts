// The directories the profiler shares with the app containers (SPEC §8): its working directory (the
// library async-profiler loads into the JVM lives there, and the JVM opens it by that path) and /tmp
// (where the JVM publishes hsperfdata, which `jps` reads, and its attach socket).
//
// /tmp decision: the profiler can mount only one volume at /tmp, and it must be the JVM's. So when a
// target container already mounts a volume at /tmp, the profiler mounts that same volume (same subPath)
// rather than hiding it behind a new one. Target containers without a /tmp of their own get that volume
// too when it is an emptyDir — exactly what our own `tmp` emptyDir would have given them — but never a
// user's PVC, hostPath, configMap or other volume: spreading those would change what the app stores
// where. Containers that cannot share the profiler's /tmp keep theirs and the user is told why.

import { findMountAt } from '../../podspec/containers.ts';
import type { Container, Pod, Volume, VolumeMount } from '../../podspec/types.ts';
import { buildEmptyDirVolume } from '../../podspec/volumes.ts';
import { TMP_MOUNT_PATH, TMP_VOLUME_NAMES, WORKDIR_MOUNT_PATH, WORKDIR_VOLUME_NAME } from './constants.ts';
import { resolveFreeVolumeName } from './volume-names.ts';

/** The mounts the profiler sidecar uses for the directories it shares with the app containers. */
export interface SharedMounts {
  readonly workdir: VolumeMount;
  /** Undefined only for a sidecar from an earlier pass that has no /tmp mount. */
  readonly tmp: VolumeMount | undefined;
}

export const WORKDIR_MOUNT: Readonly<VolumeMount> = {
  name: WORKDIR_VOLUME_NAME,
  mountPath: WORKDIR_MOUNT_PATH,
};

export type TmpPlan =
  | { readonly kind: 'reuse'; readonly mount: VolumeMount; readonly owner: string }
  | { readonly kind: 'new'; readonly mount: VolumeMount; readonly volume: Volume }
  | { readonly kind: 'conflict'; readonly detail: string };

/** The same directory of the same volume: name and subPath (or subPathExpr) agree. */
export function isSameDirectory(a: VolumeMount, b: VolumeMount): boolean {
  return a.name === b.name && a.subPath === b.subPath && a.subPathExpr === b.subPathExpr;
}

/** The profiler's view of another container's mount at `mountPath`: same volume and subPath, writable. */
function buildMountLike(source: VolumeMount, mountPath: string): VolumeMount {
  const mount: VolumeMount = { name: source.name, mountPath };
  if (typeof source.subPath === 'string') mount.subPath = source.subPath;
  if (typeof source.subPathExpr === 'string') mount.subPathExpr = source.subPathExpr;
  return mount;
}

/** Which volume the profiler mounts at /tmp: the first target container's own /tmp, else a new emptyDir. */
export function resolveTmpPlan(pod: Readonly<Pod>, targets: readonly Container[]): TmpPlan {
  for (const container of targets) {
    const existing = findMountAt(container, TMP_MOUNT_PATH);
    if (existing) {
      return { kind: 'reuse', mount: buildMountLike(existing, TMP_MOUNT_PATH), owner: container.name };
    }
  }
  const name = resolveFreeVolumeName(pod, TMP_VOLUME_NAMES);
  if (name === undefined) {
    return {
      kind: 'conflict',
      detail:
        `the pod already has volumes named ${TMP_VOLUME_NAMES.map((n) => `"${n}"`).join(' and ')}, ` +
        `so there is no free name for the profiler's ${TMP_MOUNT_PATH} volume; rename one of them`,
    };
  }
  return { kind: 'new', mount: { name, mountPath: TMP_MOUNT_PATH }, volume: buildEmptyDirVolume(name) };
}

/** The shared mounts of a profiler sidecar an earlier pass added, read back from the pod. */
export function readSharedMounts(sidecar: Container): SharedMounts | undefined {
  const workdir = findMountAt(sidecar, WORKDIR_MOUNT_PATH);
  if (!workdir) return undefined;
  const tmp = findMountAt(sidecar, TMP_MOUNT_PATH);
  return {
    workdir: buildMountLike(workdir, WORKDIR_MOUNT_PATH),
    tmp: tmp ? buildMountLike(tmp, TMP_MOUNT_PATH) : undefined,
  };
}

function isEmptyDirVolume(volume: Volume | undefined): boolean {
  return volume !== undefined && typeof volume.emptyDir === 'object' && volume.emptyDir !== null;
}

/** Whether the container can take the working-directory mount (another volume there would clash). */
export function canShareWorkdir(container: Container, workdir: VolumeMount): boolean {
  const existing = findMountAt(container, WORKDIR_MOUNT_PATH);
  return !existing || isSameDirectory(existing, workdir);
}

/** Looks a volume up by name among the pod's volumes and the ones the plan adds. */
export type VolumeLookup = (name: string) => Volume | undefined;

function planTmp(
  container: Container,
  tmp: VolumeMount,
  volumeOf: VolumeLookup,
  warnings: string[],
): VolumeMount | undefined {
  const existing = findMountAt(container, TMP_MOUNT_PATH);
  if (existing) {
    if (!isSameDirectory(existing, tmp)) {
      warnings.push(
        `container "${container.name}" mounts volume "${existing.name}" at ${TMP_MOUNT_PATH} but the profiler ` +
          `shares volume "${tmp.name}" there, so async-profiler cannot attach to the JVMs in "${container.name}"; ` +
          `mount the same volume at ${TMP_MOUNT_PATH} in every container to profile`,
      );
    }
    return undefined;
  }
  if (!isEmptyDirVolume(volumeOf(tmp.name))) {
    warnings.push(
      `container "${container.name}" has no ${TMP_MOUNT_PATH} mount and the profiler's ${TMP_MOUNT_PATH} is ` +
        `volume "${tmp.name}", which is not an emptyDir and so is not added to other containers: async-profiler ` +
        `cannot attach to the JVMs in "${container.name}"; mount "${tmp.name}" at ${TMP_MOUNT_PATH} in it yourself`,
    );
    return undefined;
  }
  return { ...tmp };
}

/**
 * The shared mounts a target container lacks (none when it has them all). The caller checks
 * `canShareWorkdir` first: a container that cannot take the working directory is not profiled.
 */
export function planSharedMounts(
  container: Container,
  shared: SharedMounts,
  volumeOf: VolumeLookup,
  warnings: string[],
): VolumeMount[] {
  const mounts: VolumeMount[] = [];
  if (findMountAt(container, shared.workdir.mountPath) === undefined) mounts.push({ ...shared.workdir });
  const tmp = shared.tmp === undefined ? undefined : planTmp(container, shared.tmp, volumeOf, warnings);
  if (tmp !== undefined) mounts.push(tmp);
  return mounts;
}
