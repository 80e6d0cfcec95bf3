import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../podspec/types.ts';
import { resolveTimezonePlan } from './timezone.ts';

const hostLocaltime = (name: string) => ({
  kind: 'mount',
  volume: { name, hostPath: { path: '/etc/localtime', type: 'FileOrCreate' } },
  mount: { name, mountPath: '/etc/localtime', readOnly: true },
});

const cases: { name: string; pod: Pod; enabled: boolean; expected: unknown }[] = [
  {
    name: 'mounts the host /etc/localtime read-only as "timezone"',
    pod: { spec: { containers: [{ name: 'app' }] } },
    enabled: true,
    expected: hostLocaltime('timezone'),
  },
  {
    name: 'adds nothing when mount_host_localtime is false',
    pod: { spec: { containers: [{ name: 'app' }] } },
    enabled: false,
    expected: { kind: 'none', detail: 'mount_host_localtime is false' },
  },
  {
    name: 'adds nothing when an app container already mounts /etc/localtime',
    pod: {
      spec: {
        containers: [{ name: 'app', volumeMounts: [{ name: 'tz', mountPath: '/etc/localtime' }] }],
        volumes: [{ name: 'tz', configMap: { name: 'zoneinfo' } }],
      },
    },
    enabled: true,
    expected: { kind: 'none', detail: 'container "app" already mounts /etc/localtime' },
  },
  {
    name: 'adds nothing when an init container already mounts /etc/localtime',
    pod: {
      spec: {
        initContainers: [{ name: 'setup', volumeMounts: [{ name: 'tz', mountPath: '/etc/localtime' }] }],
        containers: [{ name: 'app' }],
        volumes: [{ name: 'tz', hostPath: { path: '/etc/localtime' } }],
      },
    },
    enabled: true,
    expected: { kind: 'none', detail: 'container "setup" already mounts /etc/localtime' },
  },
  {
    name: 'uses datakit-profiler-timezone when a user volume is called "timezone"',
    pod: { spec: { containers: [{ name: 'app' }], volumes: [{ name: 'timezone', emptyDir: {} }] } },
    enabled: true,
    expected: hostLocaltime('datakit-profiler-timezone'),
  },
];

describe('resolveTimezonePlan', () => {
  for (const { name, pod, enabled, expected } of cases) {
    it(name, () => assert.deepEqual(resolveTimezonePlan(pod, enabled), expected));
  }

  it('warns and adds nothing when both volume names are taken', () => {
    const pod: Pod = {
      spec: {
        containers: [{ name: 'app' }],
        volumes: [
          { name: 'timezone', emptyDir: {} },
          { name: 'datakit-profiler-timezone', emptyDir: {} },
        ],
      },
    };
    const plan = resolveTimezonePlan(pod, true);
    assert.equal(plan.kind, 'none');
    assert.match(
      plan.kind === 'none' ? (plan.warning ?? '') : '',
      /"timezone" and "datakit-profiler-timezone"/,
    );
  });
});
