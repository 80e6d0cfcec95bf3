// Which volumes let the logfwd sidecars read the app's log files (SPEC §7). Each log directory is shared
// once: through a volume a target container already mounts at exactly that path (when the config allows
// reusing it), or through a new emptyDir mounted read-write in every target container. Each sidecar
// mounts, read-only, the directories of its own instance, so two instances share one volume.

import { err, ok, type Result } from '../../errors/result.ts';
import type { Container, Pod, Volume, VolumeMount } from '../../podspec/types.ts';
import { buildEmptyDirVolume } from '../../podspec/volumes.ts';
import { REUSE_EXIST_VOLUME_KEY, VOLUME_NAME_PREFIX } from './constants.ts';
import {
  cleanAbsolutePath,
  coveringDirectories,
  isAtOrInside,
  isInside,
  locateLogFile,
  reachesSubdirectories,
  type LogFileLocation,
} from './log-directories.ts';

export interface LogfwdVolumePlan {
  /** New emptyDir volumes for the pod. */
  readonly volumes: readonly Volume[];
  /** Read-write mounts of the new volumes, for every target container. */
  readonly appMounts: readonly VolumeMount[];
  /** Read-only mounts for each instance's sidecar, in instance order. */
  readonly sidecarMounts: readonly (readonly VolumeMount[])[];
  /** Consequences the user should know about; they do not stop the injection. */
  readonly warnings: readonly string[];
}

interface TargetMount {
  readonly container: Container;
  readonly mount: VolumeMount;
  /** The cleaned mountPath, for containment; equality with a log directory uses the path as written. */
  readonly path: string;
}

function listTargetMounts(targets: readonly Container[]): TargetMount[] {
  return targets.flatMap((container) =>
    (container.volumeMounts ?? [])
      .filter((mount) => typeof mount.mountPath === 'string')
      .map((mount) => ({ container, mount, path: cleanAbsolutePath(mount.mountPath) })),
  );
}

/** The same files as the app sees them: same volume, same sub-path, but read-only. */
function buildReadOnlyCopy(mount: VolumeMount): VolumeMount {
  const copy: VolumeMount = { name: mount.name, mountPath: mount.mountPath, readOnly: true };
  if (typeof mount.subPath === 'string') copy.subPath = mount.subPath;
  if (typeof mount.subPathExpr === 'string') copy.subPathExpr = mount.subPathExpr;
  return copy;
}

function takeFreeVolumeName(used: Set<string>): string {
  for (let n = 0; ; n += 1) {
    const name = `${VOLUME_NAME_PREFIX}${n}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

/** A mount the app writes through that matters for this logfile: it holds the file, or the glob reaches into it. */
function isRelevantTo(path: string, location: LogFileLocation): boolean {
  return (
    isAtOrInside(location.directory, path) ||
    (isInside(path, location.directory) && reachesSubdirectories(location))
  );
}

function describeMount({ container, mount }: TargetMount): string {
  return `container "${container.name}" mounts volume "${mount.name}" at ${mount.mountPath}`;
}

function coveredMountWarning(covering: TargetMount, directory: string): string {
  if (covering.path === directory) {
    return (
      `${describeMount(covering)}, the log directory ${directory} spelled differently, so it is not reused ` +
      `(the two spellings are different paths): logfwd mounts its own volume at ${directory} over it and ` +
      `files written there no longer reach "${covering.mount.name}"; mount "${covering.mount.name}" at ` +
      `exactly ${directory} and set ${REUSE_EXIST_VOLUME_KEY} to true to collect from it instead`
    );
  }
  return (
    `${describeMount(covering)}, which holds the log directory ${directory}: logfwd mounts its own volume ` +
    `at ${directory}, so files written there go to that volume instead of "${covering.mount.name}"`
  );
}

/**
 * The volumes and mounts for the given instances (each a list of logfile patterns, already validated as
 * absolute). An error — the message for the user — when a log directory is already a mount point in a
 * target container and reusing volumes is not allowed: a second mount there would make the pod invalid.
 */
export function resolveVolumePlan(
  pod: Pod,
  targets: readonly Container[],
  instances: readonly (readonly string[])[],
  reuseExistingVolumes: boolean,
): Result<LogfwdVolumePlan, string> {
  const locations = instances.map((logfiles) => logfiles.map(locateLogFile));
  const directories = coveringDirectories(locations.flat().map((location) => location.directory));
  const targetMounts = listTargetMounts(targets);
  const usedNames = new Set((pod.spec?.volumes ?? []).map((volume) => volume.name));
  const volumes: Volume[] = [];
  const appMounts: VolumeMount[] = [];
  const warnings: string[] = [];
  const sharedAt = new Map<string, VolumeMount>();

  for (const directory of directories) {
    const existing = targetMounts.filter(({ mount }) => mount.mountPath === directory);
    const first = existing[0];
    if (first === undefined) {
      const name = takeFreeVolumeName(usedNames);
      volumes.push(buildEmptyDirVolume(name));
      appMounts.push({ name, mountPath: directory });
      sharedAt.set(directory, { name, mountPath: directory, readOnly: true });
      for (const covering of targetMounts.filter((target) => isAtOrInside(directory, target.path))) {
        warnings.push(coveredMountWarning(covering, directory));
      }
      continue;
    }
    if (!reuseExistingVolumes) {
      return err(
        `logfwd not injected: ${describeMount(first)}, a log directory the logfwd sidecar must read; ` +
          `set ${REUSE_EXIST_VOLUME_KEY} to true to let the sidecar read that volume`,
      );
    }
    sharedAt.set(directory, buildReadOnlyCopy(first.mount));
    for (const other of existing.filter(({ mount }) => mount.name !== first.mount.name)) {
      warnings.push(
        `${describeMount(other)}, but the logfwd sidecar can mount only one volume there (the one of ` +
          `container "${first.container.name}"): files written there by "${other.container.name}" are not collected`,
      );
    }
  }

  // A volume the app mounts below a shared directory hides that part of the directory from the sidecar,
  // which must then mount it too to see the files the app writes there.
  const nested = new Map<string, TargetMount>();
  for (const target of targetMounts) {
    if (!directories.some((directory) => isInside(target.path, directory))) continue;
    if (!locations.flat().some((location) => isRelevantTo(target.path, location))) continue;
    const known = nested.get(target.path);
    if (known === undefined) {
      nested.set(target.path, target);
      if (!reuseExistingVolumes) {
        warnings.push(
          `${describeMount(target)}, inside a log directory: the logfwd sidecar cannot read the files ` +
            `there unless ${REUSE_EXIST_VOLUME_KEY} is true`,
        );
      }
    } else if (reuseExistingVolumes && known.mount.name !== target.mount.name) {
      warnings.push(
        `${describeMount(target)}, but the logfwd sidecar can mount only one volume there (the one of ` +
          `container "${known.container.name}"): files written there by "${target.container.name}" are not collected`,
      );
    }
  }

  const sidecarMounts = locations.map((instanceLocations) => {
    const mounts = directories
      .filter((directory) => instanceLocations.some(({ directory: own }) => isAtOrInside(own, directory)))
      .flatMap((directory) => {
        const mount = sharedAt.get(directory);
        return mount === undefined ? [] : [mount];
      });
    if (reuseExistingVolumes) {
      for (const [path, target] of nested) {
        if (instanceLocations.some((location) => isRelevantTo(path, location))) {
          mounts.push(buildReadOnlyCopy(target.mount));
        }
      }
    }
    return mounts;
  });

  return ok({ volumes, appMounts, sidecarMounts, warnings });
}
