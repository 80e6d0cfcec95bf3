import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { err, ok, type Result } from '../../errors/result.ts';
import type { Container, Pod, Volume, VolumeMount } from '../../podspec/types.ts';
import { buildEmptyDirVolume } from '../../podspec/volumes.ts';
import { REUSE_EXIST_VOLUME_KEY, VOLUME_NAME_PREFIX } from './constants.ts';
import {
  cleanAbsolutePath,
  coveringDirectories,
  locateLogFile,
  reachesSubdirectories,
  type LogFileLocation,
} from './log-directories.ts';
import { resolveVolumePlan, type LogfwdVolumePlan } from './volumes.ts';

// The reference oracle: resolveVolumePlan and coveringDirectories as they were before they were made
// linear (quadratic in mounts x directories and in the number of directories), copied verbatim apart from
// the names. The linear versions must give exactly the same volumes, mounts, warnings and order.

const ROOT = '/';

function referenceIsInside(inner: string, outer: string): boolean {
  return outer === ROOT ? inner !== ROOT : inner.startsWith(`${outer}/`);
}

function referenceIsAtOrInside(path: string, directory: string): boolean {
  return path === directory || referenceIsInside(path, directory);
}

function referenceCoveringDirectories(directories: readonly string[]): string[] {
  const unique = [...new Set(directories)];
  return unique.filter((directory) => !unique.some((other) => referenceIsInside(directory, other)));
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
    referenceIsAtOrInside(location.directory, path) ||
    (referenceIsInside(path, location.directory) && reachesSubdirectories(location))
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
function referenceResolveVolumePlan(
  pod: Pod,
  targets: readonly Container[],
  instances: readonly (readonly string[])[],
  reuseExistingVolumes: boolean,
): Result<LogfwdVolumePlan, string> {
  const locations = instances.map((logfiles) => logfiles.map(locateLogFile));
  const directories = referenceCoveringDirectories(locations.flat().map((location) => location.directory));
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
      for (const covering of targetMounts.filter((target) => referenceIsAtOrInside(directory, target.path))) {
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
    if (!directories.some((directory) => referenceIsInside(target.path, directory))) continue;
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
      .filter((directory) =>
        instanceLocations.some(({ directory: own }) => referenceIsAtOrInside(own, directory)),
      )
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

// Small alphabets, so that equal paths, nesting, `/var/log` vs `/var/log/`, `.`/`..`, globs and volume
// names that collide with the operator's all occur often.
const cleanSegment = fc.constantFrom('var', 'log', 'a', 'b');
const rawSegment = fc.constantFrom('var', 'log', 'a', 'b', 'a*', '.', '..', '');
const filePattern = fc.constantFrom(
  'x.log',
  '*.log',
  '**',
  '**/x.log',
  '*/x.log',
  'a?.log',
  '[ab].log',
  '{a,b}',
  '',
);

const logfile = fc
  .tuple(fc.array(rawSegment, { maxLength: 3 }), filePattern)
  .map(([segments, pattern]) => `/${[...segments, pattern].join('/')}`);

const mountPath = fc.oneof(
  fc
    .tuple(fc.array(cleanSegment, { maxLength: 3 }), fc.boolean())
    .map(([segments, slash]) => `/${segments.join('/')}${slash && segments.length > 0 ? '/' : ''}`),
  fc
    .tuple(fc.array(fc.constantFrom('var', 'log', 'a', '.', '..', ''), { maxLength: 4 }), fc.boolean())
    .map(([segments, slash]) => `/${segments.join('/')}${slash ? '/' : ''}`),
);

const volumeMount: fc.Arbitrary<VolumeMount> = fc
  .record({
    name: fc.constantFrom('v0', 'v1', 'logs', `${VOLUME_NAME_PREFIX}0`),
    mountPath: fc.oneof({ weight: 20, arbitrary: mountPath }, { weight: 1, arbitrary: fc.constant(7) }),
    subPath: fc.option(fc.constantFrom('sub', ''), { nil: undefined }),
  })
  .map(({ name, mountPath: path, subPath }) => {
    const mount = { name, mountPath: path } as VolumeMount;
    if (subPath !== undefined) mount.subPath = subPath;
    return mount;
  });

const scenario = fc.record({
  mounts: fc.array(fc.option(fc.array(volumeMount, { maxLength: 4 }), { nil: undefined }), {
    minLength: 1,
    maxLength: 4,
  }),
  targetCount: fc.nat({ max: 4 }),
  podVolumes: fc.subarray([
    `${VOLUME_NAME_PREFIX}0`,
    `${VOLUME_NAME_PREFIX}1`,
    `${VOLUME_NAME_PREFIX}3`,
    'logs',
  ]),
  instances: fc.array(fc.array(logfile, { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  reuse: fc.boolean(),
});

describe('resolveVolumePlan, linear, against the quadratic reference', () => {
  it('gives exactly the same plan, warnings and order, or the same error', () => {
    const seen = { errors: 0, warnings: 0, reused: 0, nested: 0, newVolumes: 0 };
    fc.assert(
      fc.property(scenario, ({ mounts, targetCount, podVolumes, instances, reuse }) => {
        const containers: Container[] = mounts.map((volumeMounts, index) =>
          volumeMounts === undefined ? { name: `c${index}` } : { name: `c${index}`, volumeMounts },
        );
        const pod: Pod = {
          spec: { containers, volumes: podVolumes.map((name) => ({ name, emptyDir: {} })) },
        };
        const targets = containers.slice(0, Math.max(1, targetCount));
        const expected = referenceResolveVolumePlan(pod, targets, instances, reuse);
        const actual = resolveVolumePlan(pod, targets, instances, reuse);
        if (expected.ok) {
          assert.deepStrictEqual(actual, expected);
          const plan = expected.value;
          if (plan.warnings.length > 0) seen.warnings += 1;
          if (plan.volumes.length > 0) seen.newVolumes += 1;
          if (plan.sidecarMounts.flat().some((mount) => !mount.name.startsWith(VOLUME_NAME_PREFIX)))
            seen.reused += 1;
          if (plan.warnings.some((warning) => warning.includes('inside a log directory'))) seen.nested += 1;
        } else {
          seen.errors += 1;
          assert.deepStrictEqual(actual, err({ reason: 'would-break-pod', message: expected.error }));
        }
      }),
      { numRuns: 5_000 },
    );
    // The generator reaches every branch, not only the easy ones.
    for (const [what, count] of Object.entries(seen)) assert.ok(count > 50, `${what}: only ${count} runs`);
  });
});

describe('coveringDirectories, linear, against the quadratic reference', () => {
  it('keeps the same directories in the same first-seen order, for absolute paths', () => {
    const path = fc
      .tuple(fc.array(fc.constantFrom('a', 'b', 'ab', '', '.'), { maxLength: 4 }), fc.boolean())
      .map(([segments, slash]) => `/${segments.join('/')}${slash ? '/' : ''}`);
    fc.assert(
      fc.property(fc.array(path, { maxLength: 8 }), (directories) => {
        assert.deepStrictEqual(coveringDirectories(directories), referenceCoveringDirectories(directories));
      }),
      { numRuns: 5_000 },
    );
  });

  it('does so even for any text over "a", "b" and "/" (relative, empty)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '/'), maxLength: 5 });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 8 }), (directories) => {
        assert.deepStrictEqual(coveringDirectories(directories), referenceCoveringDirectories(directories));
      }),
      { numRuns: 5_000 },
    );
  });
});
