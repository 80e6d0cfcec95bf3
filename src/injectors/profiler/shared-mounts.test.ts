import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod, Volume } from '../../podspec/types.ts';
import {
  WORKDIR_MOUNT,
  canShareWorkdir,
  planSharedMounts,
  readSharedMounts,
  resolveTmpPlan,
  type SharedMounts,
} from './shared-mounts.ts';

function podOf(containers: Container[], volumes: Volume[] = []): Pod {
  return { spec: { containers, volumes } };
}

describe('resolveTmpPlan', () => {
  const cases = [
    {
      name: 'adds a "tmp" emptyDir when no target container mounts /tmp',
      pod: podOf([{ name: 'app' }]),
      expected: {
        kind: 'new',
        mount: { name: 'tmp', mountPath: '/tmp' },
        volume: { name: 'tmp', emptyDir: {} },
      },
    },
    {
      name: 'reuses the volume a target container mounts at /tmp, with its subPath',
      pod: podOf(
        [
          {
            name: 'app',
            volumeMounts: [{ name: 'scratch', mountPath: '/tmp', subPath: 'tmp', readOnly: true }],
          },
        ],
        [{ name: 'scratch', emptyDir: {} }],
      ),
      expected: {
        kind: 'reuse',
        mount: { name: 'scratch', mountPath: '/tmp', subPath: 'tmp' },
        owner: 'app',
      },
    },
    {
      name: 'reuses the first target container that mounts /tmp',
      pod: podOf(
        [
          { name: 'a' },
          { name: 'b', volumeMounts: [{ name: 'first', mountPath: '/tmp' }] },
          { name: 'c', volumeMounts: [{ name: 'second', mountPath: '/tmp' }] },
        ],
        [
          { name: 'first', emptyDir: {} },
          { name: 'second', emptyDir: {} },
        ],
      ),
      expected: { kind: 'reuse', mount: { name: 'first', mountPath: '/tmp' }, owner: 'b' },
    },
    {
      name: 'names its emptyDir datakit-profiler-tmp when a user volume called "tmp" is mounted elsewhere',
      pod: podOf(
        [{ name: 'app', volumeMounts: [{ name: 'tmp', mountPath: '/scratch' }] }],
        [{ name: 'tmp', emptyDir: {} }],
      ),
      expected: {
        kind: 'new',
        mount: { name: 'datakit-profiler-tmp', mountPath: '/tmp' },
        volume: { name: 'datakit-profiler-tmp', emptyDir: {} },
      },
    },
  ];
  for (const { name, pod, expected } of cases) {
    it(name, () => assert.deepEqual(resolveTmpPlan(pod, pod.spec?.containers ?? []), expected));
  }

  it('reports a conflict naming both volumes when every name is taken', () => {
    const pod = podOf(
      [{ name: 'app' }],
      [
        { name: 'tmp', configMap: { name: 'x' } },
        { name: 'datakit-profiler-tmp', emptyDir: {} },
      ],
    );
    const plan = resolveTmpPlan(pod, pod.spec?.containers ?? []);
    assert.equal(plan.kind, 'conflict');
    assert.match(plan.kind === 'conflict' ? plan.detail : '', /"tmp" and "datakit-profiler-tmp".*rename/);
  });
});

describe('planSharedMounts', () => {
  const shared = (tmp: string): SharedMounts => ({
    workdir: { ...WORKDIR_MOUNT },
    tmp: { name: tmp, mountPath: '/tmp' },
  });
  const cases = [
    {
      name: 'mounts the working directory and an emptyDir /tmp in a bare container',
      container: { name: 'app' },
      volumes: [{ name: 'tmp', emptyDir: {} }],
      tmp: 'tmp',
      mounts: [
        { name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' },
        { name: 'tmp', mountPath: '/tmp' },
      ],
      changed: true,
      warned: false,
    },
    {
      name: "keeps a container's own /tmp when it is the shared one",
      container: { name: 'app', volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }] },
      volumes: [{ name: 'scratch', emptyDir: {} }],
      tmp: 'scratch',
      mounts: [
        { name: 'scratch', mountPath: '/tmp' },
        { name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' },
      ],
      changed: true,
      warned: false,
    },
    {
      name: 'keeps a different /tmp volume and warns that the profiler cannot see it',
      container: { name: 'app', volumeMounts: [{ name: 'other', mountPath: '/tmp' }] },
      volumes: [
        { name: 'other', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
      tmp: 'tmp',
      mounts: [
        { name: 'other', mountPath: '/tmp' },
        { name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' },
      ],
      changed: true,
      warned: true,
    },
    {
      name: "does not spread a user's PersistentVolumeClaim /tmp to another container, and warns",
      container: { name: 'helper' },
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'c' } }],
      tmp: 'data',
      mounts: [{ name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' }],
      changed: true,
      warned: true,
    },
    {
      name: 'changes nothing in a container that already has both mounts',
      container: {
        name: 'app',
        volumeMounts: [
          { name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
      volumes: [{ name: 'tmp', emptyDir: {} }],
      tmp: 'tmp',
      mounts: [
        { name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' },
        { name: 'tmp', mountPath: '/tmp' },
      ],
      changed: false,
      warned: false,
    },
  ];
  for (const { name, container, volumes, tmp, mounts, changed, warned } of cases) {
    it(name, () => {
      const given = structuredClone(container) as Container;
      const pod = podOf([given], volumes);
      const warnings: string[] = [];
      const volumeOf = (name: string) => pod.spec?.volumes?.find((volume) => volume.name === name);
      const planned = planSharedMounts(given, shared(tmp), volumeOf, warnings);
      assert.equal(planned.length > 0, changed);
      assert.deepEqual([...(given.volumeMounts ?? []), ...planned], mounts);
      assert.deepEqual(given, container, 'the container itself is not written');
      assert.equal(warnings.length > 0, warned, warnings.join('\n'));
      if (warned) assert.match(warnings[0] ?? '', new RegExp(`container "${container.name}"`));
    });
  }
});

describe('canShareWorkdir', () => {
  it('refuses a container with another volume at the working directory', () => {
    const container = { name: 'app', volumeMounts: [{ name: 'code', mountPath: '/app/datakit-profiler' }] };
    assert.equal(canShareWorkdir(container, WORKDIR_MOUNT), false);
  });
  it('accepts a container that already mounts the working directory', () => {
    const container = { name: 'app', volumeMounts: [{ ...WORKDIR_MOUNT }] };
    assert.equal(canShareWorkdir(container, WORKDIR_MOUNT), true);
  });
});

describe('readSharedMounts', () => {
  it("reads back the sidecar's working directory and /tmp, whatever their volume names", () => {
    const sidecar: Container = {
      name: 'datakit-profiler',
      volumeMounts: [
        { name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' },
        { name: 'scratch', mountPath: '/tmp', subPath: 'tmp' },
        { name: 'timezone', mountPath: '/etc/localtime', readOnly: true },
      ],
    };
    assert.deepEqual(readSharedMounts(sidecar), {
      workdir: { name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' },
      tmp: { name: 'scratch', mountPath: '/tmp', subPath: 'tmp' },
    });
  });
  it('finds nothing in a container without the working directory', () => {
    assert.equal(readSharedMounts({ name: 'datakit-profiler' }), undefined);
  });
});
