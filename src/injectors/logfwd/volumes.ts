// Which volumes let the logfwd sidecars read the app's log files (SPEC §7). Each log directory is shared
// once: through a volume a target container already mounts at exactly that path (when the config allows
// reusing it), or through a new emptyDir mounted read-write in every target container. Each sidecar
// mounts, read-only, the directories of its own instance, so two instances share one volume.
//
// Cost (SPEC §15): a pod may have a thousand containers with a thousand mounts each, so the plan is linear
// in the number of mounts plus the total length of the paths. The log directories go into a PathTree,
// built once; each mount is then looked up by its exact mountPath (a Map) and walked down that tree once,
// which tells at once which directories it holds, whether it lies inside one, and which instances' files
// it can hold. Nothing compares every mount with every directory or logfile.

import { err, ok, type Result } from '../../errors/result.ts';
import type { Container, Pod, Volume, VolumeMount } from '../../podspec/types.ts';
import { buildEmptyDirVolume } from '../../podspec/volumes.ts';
import {
  ANNOTATION_INSTANCES,
  MAX_LOG_DIRECTORIES_PER_POD,
  MAX_MOUNT_WARNINGS,
  REUSE_EXIST_VOLUME_KEY,
  VOLUME_NAME_PREFIX,
} from './constants.ts';
import { PathTree, PathWalk, type PathTreeNode } from './path-tree.ts';
import {
  ROOT_DIRECTORY,
  cleanAbsolutePath,
  coveringDirectories,
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

/** Why logfwd cannot be injected; the message is for the user and starts with "logfwd not injected:". */
export interface VolumePlanError {
  /**
   * `would-break-pod`: a log directory is already a mount point and reusing volumes is not allowed.
   * `limit-exceeded`: more than MAX_LOG_DIRECTORIES_PER_POD directories to share.
   */
  readonly reason: 'would-break-pod' | 'limit-exceeded';
  readonly message: string;
}

interface TargetMount {
  readonly container: Container;
  readonly mount: VolumeMount;
}

/** The same files as the app sees them: same volume, same sub-path, but read-only. */
function buildReadOnlyCopy(mount: VolumeMount): VolumeMount {
  const copy: VolumeMount = { name: mount.name, mountPath: mount.mountPath, readOnly: true };
  if (typeof mount.subPath === 'string') copy.subPath = mount.subPath;
  if (typeof mount.subPathExpr === 'string') copy.subPathExpr = mount.subPathExpr;
  return copy;
}

/** `datakit-logfwd-volume-0`, `-1`, … skipping names the pod already uses; one counter for the whole plan. */
function volumeNamer(pod: Pod): () => string {
  const used = new Set((pod.spec?.volumes ?? []).map((volume) => volume.name));
  let next = 0;
  return () => {
    while (used.has(`${VOLUME_NAME_PREFIX}${next}`)) next += 1;
    const name = `${VOLUME_NAME_PREFIX}${next}`;
    next += 1;
    return name;
  };
}

function describeMount({ container, mount }: TargetMount): string {
  return `container "${container.name}" mounts volume "${mount.name}" at ${mount.mountPath}`;
}

function coveredMountWarning(covering: TargetMount, directory: string): string {
  if (cleanAbsolutePath(covering.mount.mountPath) === directory) {
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

/** What the tree of log directories knows about one path. */
interface LogPath {
  /** The index, in the shared directories, of the one that is exactly this path. */
  directory: number | undefined;
  /** The instances with a logfile here whose pattern reaches subdirectories: a mount below holds some. */
  readonly instancesReaching: Set<number>;
  /** The instances with a log directory at or below this path: a mount here holds some of their files. */
  readonly instancesAtOrBelow: Set<number>;
  /** The shared directories at or below this path (their indices, in no order): a mount here holds them. */
  readonly directoriesAtOrBelow: number[];
}

type LogNode = PathTreeNode<LogPath>;

function logPath(): LogPath {
  return {
    directory: undefined,
    instancesReaching: new Set(),
    instancesAtOrBelow: new Set(),
    directoriesAtOrBelow: [],
  };
}

/**
 * The tree's key for a cleaned path. The tree nests `a/b` below `a` (`inner.startsWith(outer + "/")`), which
 * holds for cleaned paths except "/"; as "", "/" is above every other cleaned path.
 */
function treeKey(cleanPath: string): string {
  return cleanPath === ROOT_DIRECTORY ? '' : cleanPath;
}

/** The log directories of every instance and the shared directories, each node knowing what is below it. */
function buildLogTree(
  locations: readonly (readonly LogFileLocation[])[],
  directories: readonly string[],
): PathTree<LogPath> {
  const tree = new PathTree(logPath);
  locations.forEach((instanceLocations, instance) => {
    for (const location of instanceLocations) {
      const node = tree.insert(treeKey(location.directory));
      node.data.instancesAtOrBelow.add(instance);
      if (reachesSubdirectories(location)) node.data.instancesReaching.add(instance);
    }
  });
  directories.forEach((directory, index) => {
    const node = tree.insert(treeKey(directory));
    node.data.directory = index;
    node.data.directoriesAtOrBelow.push(index);
  });
  // Children before parents: each node gathers what its children hold.
  for (const node of tree.nodes().reverse()) {
    for (const child of node.children.values()) {
      for (const instance of child.data.instancesAtOrBelow) node.data.instancesAtOrBelow.add(instance);
      for (const index of child.data.directoriesAtOrBelow) node.data.directoriesAtOrBelow.push(index);
    }
  }
  return tree;
}

const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * A quick test that a mount has nothing to do with the log directories, so that the many mounts of a big
 * pod that do not cost a few character reads instead of cleaning and walking their path. A cleaned path
 * can be, hold or lie inside a log directory only if it is "/" or its first segment is the first segment
 * of a log directory; a raw path that starts with "/c" (c neither "/" nor ".") and has no ".." keeps its
 * first segment when cleaned. So a mount whose first character c starts no log directory's first segment
 * is unrelated. Anything else (and every mount when a log directory is "/") takes the full walk.
 */
function unrelatedMountTest(locationDirectories: readonly string[]): (mountPath: string) => boolean {
  if (locationDirectories.includes(ROOT_DIRECTORY)) return () => false;
  const firstCharacters = new Uint8Array(0x10000);
  for (const directory of locationDirectories) firstCharacters[directory.charCodeAt(1)] = 1;
  return (mountPath) => {
    if (mountPath.length < 2 || mountPath.charCodeAt(0) !== SLASH) return false;
    const first = mountPath.charCodeAt(1);
    return first !== SLASH && first !== DOT && firstCharacters[first] === 0 && !mountPath.includes('..');
  };
}

/** A mount the app writes through below a shared directory, that holds files of some instances. */
interface NestedMount {
  readonly target: TargetMount;
  /** The instances whose sidecar must mount it too (only computed when volumes may be reused). */
  readonly instances: ReadonlySet<number>;
}

/**
 * The instances whose logfiles a mount at a path can hold: the path holds one of their log directories
 * (`at`: the node at the path or the topmost below it), or lies below a directory whose pattern reaches
 * into subdirectories (`walk`: the nodes above the path).
 */
function instancesServedBy(at: LogNode | undefined, walk: PathWalk<LogPath>): Set<number> {
  const instances = new Set(at?.data.instancesAtOrBelow);
  for (let level = 0; level < walk.count; level += 1) {
    for (const instance of walk.above[level]?.data.instancesReaching ?? []) instances.add(instance);
  }
  return instances;
}

function servesSomeInstance(at: LogNode | undefined, walk: PathWalk<LogPath>): boolean {
  // Every node of the tree is, or lies above, some instance's log directory.
  if (at !== undefined) return true;
  for (let level = 0; level < walk.count; level += 1) {
    if ((walk.above[level]?.data.instancesReaching.size ?? 0) > 0) return true;
  }
  return false;
}

function liesInsideDirectory(walk: PathWalk<LogPath>): boolean {
  for (let level = 0; level < walk.count; level += 1) {
    if (walk.above[level]?.data.directory !== undefined) return true;
  }
  return false;
}

function tooManyDirectories(count: number): VolumePlanError {
  return {
    reason: 'limit-exceeded',
    message:
      `logfwd not injected: the logfiles of the annotation ${ANNOTATION_INSTANCES} lie in ${count} distinct ` +
      `log directories, more than the limit of ${MAX_LOG_DIRECTORIES_PER_POD} per pod (a directory inside ` +
      `another counts once); collect the logs from fewer directories`,
  };
}

/**
 * The volumes and mounts for the given instances (each a list of logfile patterns, already validated as
 * absolute). An error when logfwd cannot be injected: `would-break-pod` when a log directory is already a
 * mount point in a target container and reusing volumes is not allowed (a second mount there would make
 * the pod invalid); `limit-exceeded` when there are more than MAX_LOG_DIRECTORIES_PER_POD directories.
 */
export function resolveVolumePlan(
  pod: Pod,
  targets: readonly Container[],
  instances: readonly (readonly string[])[],
  reuseExistingVolumes: boolean,
): Result<LogfwdVolumePlan, VolumePlanError> {
  const locations = instances.map((logfiles) => logfiles.map(locateLogFile));
  const locationDirectories = locations.flat().map((location) => location.directory);
  const directories = coveringDirectories(locationDirectories);
  if (directories.length > MAX_LOG_DIRECTORIES_PER_POD) return err(tooManyDirectories(directories.length));
  const tree = buildLogTree(locations, directories);
  const isUnrelated = unrelatedMountTest(locationDirectories);

  // One pass over the target mounts, in order: which mounts are exactly at each directory, which hold
  // each directory, and which lie inside one and hold logfiles.
  const directoryAt = new Map(directories.map((directory, index) => [directory, index]));
  const exactMounts: TargetMount[][] = directories.map(() => []);
  const coveringMounts: TargetMount[][] = directories.map(() => []);
  const nested = new Map<string, NestedMount>();
  const nestedWarnings: string[] = [];
  // Warnings about mounts are kept to a few per directory: a hostile pod may hold 100,000 mounts.
  let unreported = 0;
  const noteNested = (warning: () => string) => {
    if (nestedWarnings.length < MAX_MOUNT_WARNINGS) nestedWarnings.push(warning());
    else unreported += 1;
  };
  const walk = new PathWalk<LogPath>();
  const noInstances: ReadonlySet<number> = new Set();
  for (const container of targets) {
    for (const mount of container.volumeMounts ?? []) {
      if (typeof mount.mountPath !== 'string' || isUnrelated(mount.mountPath)) continue;
      const exact = directoryAt.get(mount.mountPath);
      if (exact !== undefined) exactMounts[exact]?.push({ container, mount });
      const path = cleanAbsolutePath(mount.mountPath);
      const at = tree.walk(treeKey(path), walk);
      for (const index of at?.data.directoriesAtOrBelow ?? []) {
        const covering = coveringMounts[index];
        if (covering === undefined) continue;
        if (covering.length < MAX_MOUNT_WARNINGS) covering.push({ container, mount });
        else unreported += 1;
      }
      // A volume the app mounts below a shared directory hides that part of the directory from the
      // sidecar, which must then mount it too to see the files the app writes there.
      if (!liesInsideDirectory(walk) || !servesSomeInstance(at, walk)) continue;
      const known = nested.get(path);
      if (known === undefined) {
        const target: TargetMount = { container, mount };
        const served = reuseExistingVolumes ? instancesServedBy(at, walk) : noInstances;
        nested.set(path, { target, instances: served });
        if (!reuseExistingVolumes) {
          noteNested(
            () =>
              `${describeMount(target)}, inside a log directory: the logfwd sidecar cannot read the files ` +
              `there unless ${REUSE_EXIST_VOLUME_KEY} is true`,
          );
        }
      } else if (reuseExistingVolumes && known.target.mount.name !== mount.name) {
        noteNested(
          () =>
            `${describeMount({ container, mount })}, but the logfwd sidecar can mount only one volume there (the one of ` +
            `container "${known.target.container.name}"): files written there by "${container.name}" are not collected`,
        );
      }
    }
  }

  const takeVolumeName = volumeNamer(pod);
  const volumes: Volume[] = [];
  const appMounts: VolumeMount[] = [];
  const warnings: string[] = [];
  const shared: VolumeMount[] = [];
  for (const [index, directory] of directories.entries()) {
    const existing = exactMounts[index] ?? [];
    const first = existing[0];
    if (first === undefined) {
      const name = takeVolumeName();
      volumes.push(buildEmptyDirVolume(name));
      appMounts.push({ name, mountPath: directory });
      shared[index] = { name, mountPath: directory, readOnly: true };
      for (const covering of coveringMounts[index] ?? []) {
        warnings.push(coveredMountWarning(covering, directory));
      }
      continue;
    }
    if (!reuseExistingVolumes) {
      return err({
        reason: 'would-break-pod',
        message:
          `logfwd not injected: ${describeMount(first)}, a log directory the logfwd sidecar must read; ` +
          `set ${REUSE_EXIST_VOLUME_KEY} to true to let the sidecar read that volume`,
      });
    }
    shared[index] = buildReadOnlyCopy(first.mount);
    for (const other of existing) {
      if (other.mount.name === first.mount.name) continue;
      warnings.push(
        `${describeMount(other)}, but the logfwd sidecar can mount only one volume there (the one of ` +
          `container "${first.container.name}"): files written there by "${other.container.name}" are not collected`,
      );
    }
  }
  for (const warning of nestedWarnings) warnings.push(warning);
  if (unreported > 0) {
    warnings.push(`… and ${unreported} more mounts that hold or lie inside log directories (not listed)`);
  }

  // Each sidecar mounts the shared directories that hold its own logfiles (in directory order), then,
  // when reuse is allowed, the nested mounts that hold some of them (in mount order).
  const nestedMounts: VolumeMount[][] = locations.map(() => []);
  if (reuseExistingVolumes) {
    for (const { target, instances: served } of nested.values()) {
      for (const instance of served) nestedMounts[instance]?.push(target.mount);
    }
  }
  const sidecarMounts = locations.map((instanceLocations, instance) => {
    // The shared directory at or above each of its log directories.
    const own = new Set<number>();
    for (const location of instanceLocations) {
      const at = tree.walk(treeKey(location.directory), walk);
      for (const node of [...walk.nodes(), at]) {
        if (node?.data.directory !== undefined) own.add(node.data.directory);
      }
    }
    const mounts = [...own]
      .sort((a, b) => a - b)
      .flatMap((index) => {
        const mount = shared[index];
        return mount === undefined ? [] : [mount];
      });
    for (const mount of nestedMounts[instance] ?? []) mounts.push(buildReadOnlyCopy(mount));
    return mounts;
  });

  return ok({ volumes, appMounts, sidecarMounts, warnings });
}
