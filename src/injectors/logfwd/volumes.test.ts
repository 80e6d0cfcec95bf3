import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod, VolumeMount } from '../../podspec/types.ts';
import { MAX_LOG_DIRECTORIES_PER_POD } from './constants.ts';
import { resolveVolumePlan, type LogfwdVolumePlan } from './volumes.ts';

const REUSE = 'admission_inject.logfwd.options.reuse_exist_volume';

function app(name: string, mounts: VolumeMount[] = []): Container {
  return mounts.length === 0 ? { name } : { name, volumeMounts: mounts };
}

function podWith(containers: Container[], volumeNames: string[] = []): Pod {
  return {
    spec: { containers, volumes: volumeNames.map((name) => ({ name, emptyDir: {} })) },
  };
}

function ro(name: string, mountPath: string): VolumeMount {
  return { name, mountPath, readOnly: true };
}

interface PlanCase {
  readonly name: string;
  readonly containers: Container[];
  readonly volumeNames?: string[];
  readonly instances: string[][];
  readonly reuse: boolean;
  readonly plan: Omit<LogfwdVolumePlan, 'warnings'>;
  /** Each expected warning must be found (as a substring) in the warning of the same index. */
  readonly warnings?: string[];
}

const cases: PlanCase[] = [
  {
    name: 'adds one emptyDir per directory, read-write in the app and read-only in the sidecar',
    containers: [app('web')],
    instances: [['/var/log/app/*.log']],
    reuse: false,
    plan: {
      volumes: [{ name: 'datakit-logfwd-volume-0', emptyDir: {} }],
      appMounts: [{ name: 'datakit-logfwd-volume-0', mountPath: '/var/log/app' }],
      sidecarMounts: [[ro('datakit-logfwd-volume-0', '/var/log/app')]],
    },
  },
  {
    name: 'picks the next free volume name',
    containers: [app('web')],
    volumeNames: ['datakit-logfwd-volume-0', 'datakit-logfwd-volume-2'],
    instances: [['/a/x.log', '/b/x.log']],
    reuse: false,
    plan: {
      volumes: [
        { name: 'datakit-logfwd-volume-1', emptyDir: {} },
        { name: 'datakit-logfwd-volume-3', emptyDir: {} },
      ],
      appMounts: [
        { name: 'datakit-logfwd-volume-1', mountPath: '/a' },
        { name: 'datakit-logfwd-volume-3', mountPath: '/b' },
      ],
      sidecarMounts: [[ro('datakit-logfwd-volume-1', '/a'), ro('datakit-logfwd-volume-3', '/b')]],
    },
  },
  {
    name: 'shares one volume between two instances that read the same directory',
    containers: [app('web')],
    instances: [['/var/log/a.log'], ['/var/log/b.log', '/srv/logs/c.log']],
    reuse: false,
    plan: {
      volumes: [
        { name: 'datakit-logfwd-volume-0', emptyDir: {} },
        { name: 'datakit-logfwd-volume-1', emptyDir: {} },
      ],
      appMounts: [
        { name: 'datakit-logfwd-volume-0', mountPath: '/var/log' },
        { name: 'datakit-logfwd-volume-1', mountPath: '/srv/logs' },
      ],
      sidecarMounts: [
        [ro('datakit-logfwd-volume-0', '/var/log')],
        [ro('datakit-logfwd-volume-0', '/var/log'), ro('datakit-logfwd-volume-1', '/srv/logs')],
      ],
    },
  },
  {
    name: 'covers a nested directory with the outer one, also across instances',
    containers: [app('web')],
    instances: [['/var/log/app/*.log'], ['/var/log/*.log']],
    reuse: false,
    plan: {
      volumes: [{ name: 'datakit-logfwd-volume-0', emptyDir: {} }],
      appMounts: [{ name: 'datakit-logfwd-volume-0', mountPath: '/var/log' }],
      sidecarMounts: [
        [ro('datakit-logfwd-volume-0', '/var/log')],
        [ro('datakit-logfwd-volume-0', '/var/log')],
      ],
    },
  },
  {
    name: 'reuses a volume a target container mounts at exactly the directory, keeping its subPath',
    containers: [app('web', [{ name: 'volume-log', mountPath: '/var/log', subPath: 'web' }])],
    instances: [['/var/log/*.log']],
    reuse: true,
    plan: {
      volumes: [],
      appMounts: [],
      sidecarMounts: [[{ name: 'volume-log', mountPath: '/var/log', readOnly: true, subPath: 'web' }]],
    },
  },
  {
    name: 'reuses the first of two volumes mounted at the directory and warns about the other',
    containers: [
      app('a', [{ name: 'logs-a', mountPath: '/var/log' }]),
      app('b', [{ name: 'logs-b', mountPath: '/var/log' }]),
    ],
    instances: [['/var/log/*.log']],
    reuse: true,
    plan: { volumes: [], appMounts: [], sidecarMounts: [[ro('logs-a', '/var/log')]] },
    warnings: [
      'container "b" mounts volume "logs-b" at /var/log, but the logfwd sidecar can mount only one volume there',
    ],
  },
  {
    name: 'treats "/var/log/" as another path than "/var/log" and says the new volume hides it',
    containers: [app('web', [{ name: 'volume-log', mountPath: '/var/log/' }])],
    instances: [['/var/log/*.log']],
    reuse: true,
    plan: {
      volumes: [{ name: 'datakit-logfwd-volume-0', emptyDir: {} }],
      appMounts: [{ name: 'datakit-logfwd-volume-0', mountPath: '/var/log' }],
      sidecarMounts: [[ro('datakit-logfwd-volume-0', '/var/log')]],
    },
    warnings: [
      `container "web" mounts volume "volume-log" at /var/log/, the log directory /var/log spelled differently, so it is not reused`,
    ],
  },
  {
    name: 'warns when a volume the app mounts above the directory stops receiving the logs',
    containers: [app('web', [{ name: 'data', mountPath: '/data' }])],
    instances: [['/data/logs/*.log']],
    reuse: false,
    plan: {
      volumes: [{ name: 'datakit-logfwd-volume-0', emptyDir: {} }],
      appMounts: [{ name: 'datakit-logfwd-volume-0', mountPath: '/data/logs' }],
      sidecarMounts: [[ro('datakit-logfwd-volume-0', '/data/logs')]],
    },
    warnings: [`container "web" mounts volume "data" at /data, which holds the log directory /data/logs`],
  },
  {
    name: 'gives the sidecar a volume the app mounts inside a log directory, when reuse is allowed',
    containers: [app('web', [{ name: 'app-logs', mountPath: '/var/log/app' }])],
    instances: [['/var/log/*.log', '/var/log/app/*.log']],
    reuse: true,
    plan: {
      volumes: [{ name: 'datakit-logfwd-volume-0', emptyDir: {} }],
      appMounts: [{ name: 'datakit-logfwd-volume-0', mountPath: '/var/log' }],
      sidecarMounts: [[ro('datakit-logfwd-volume-0', '/var/log'), ro('app-logs', '/var/log/app')]],
    },
  },
  {
    name: 'warns instead when reuse is not allowed',
    containers: [app('web', [{ name: 'app-logs', mountPath: '/var/log/app' }])],
    instances: [['/var/log/**/*.log']],
    reuse: false,
    plan: {
      volumes: [{ name: 'datakit-logfwd-volume-0', emptyDir: {} }],
      appMounts: [{ name: 'datakit-logfwd-volume-0', mountPath: '/var/log' }],
      sidecarMounts: [[ro('datakit-logfwd-volume-0', '/var/log')]],
    },
    warnings: [
      `container "web" mounts volume "app-logs" at /var/log/app, inside a log directory: the logfwd sidecar cannot read the files there unless ${REUSE} is true`,
    ],
  },
  {
    name: 'ignores a volume inside a log directory that no logfile can reach',
    containers: [app('web', [{ name: 'cache', mountPath: '/var/log/cache' }])],
    instances: [['/var/log/*.log']],
    reuse: true,
    plan: {
      volumes: [{ name: 'datakit-logfwd-volume-0', emptyDir: {} }],
      appMounts: [{ name: 'datakit-logfwd-volume-0', mountPath: '/var/log' }],
      sidecarMounts: [[ro('datakit-logfwd-volume-0', '/var/log')]],
    },
  },
];

describe('resolveVolumePlan', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = resolveVolumePlan(
        podWith(testCase.containers, testCase.volumeNames),
        testCase.containers,
        testCase.instances,
        testCase.reuse,
      );
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      const { warnings, ...plan } = result.value;
      assert.deepEqual(plan, testCase.plan);
      const expected = testCase.warnings ?? [];
      assert.equal(warnings.length, expected.length, warnings.join('\n'));
      expected.forEach((text, index) => assert.ok(warnings[index]?.includes(text), warnings[index]));
    });
  }

  it('refuses a directory a target container already mounts when reuse is not allowed', () => {
    const containers = [app('web', [{ name: 'volume-log', mountPath: '/var/log' }])];
    const result = resolveVolumePlan(
      podWith(containers, ['volume-log']),
      containers,
      [['/var/log/*.log']],
      false,
    );
    assert.deepEqual(result, {
      ok: false,
      error: {
        reason: 'would-break-pod',
        message:
          'logfwd not injected: container "web" mounts volume "volume-log" at /var/log, a log directory the ' +
          `logfwd sidecar must read; set ${REUSE} to true to let the sidecar read that volume`,
      },
    });
  });

  it('looks only at target containers', () => {
    const proxy = app('istio-proxy', [{ name: 'proxy-logs', mountPath: '/var/log' }]);
    const web = app('web');
    const result = resolveVolumePlan(
      podWith([web, proxy], ['proxy-logs']),
      [web],
      [['/var/log/x.log']],
      false,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value.appMounts, [{ name: 'datakit-logfwd-volume-0', mountPath: '/var/log' }]);
  });
});

describe('resolveVolumePlan directory limit (SPEC §15)', () => {
  const web = app('web');
  const plan = (directories: number, extraNested = false) => {
    const logfiles = Array.from({ length: directories }, (_, i) => `/var/log/app-${i}/*.log`);
    // Nested and repeated directories count once.
    if (extraNested) logfiles.push('/var/log/app-0/deep/*.log', '/var/log/app-1/x.log');
    return resolveVolumePlan(podWith([web]), [web], [logfiles], false);
  };

  it(`accepts exactly ${MAX_LOG_DIRECTORIES_PER_POD} directories, after covering`, () => {
    assert.equal(MAX_LOG_DIRECTORIES_PER_POD, 64);
    const result = plan(MAX_LOG_DIRECTORIES_PER_POD, true);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.value.volumes.length, 64);
    assert.equal(result.value.volumes.at(-1)?.name, 'datakit-logfwd-volume-63');
  });

  it('refuses one directory more, naming the limit', () => {
    assert.deepEqual(plan(MAX_LOG_DIRECTORIES_PER_POD + 1, true), {
      ok: false,
      error: {
        reason: 'limit-exceeded',
        message:
          'logfwd not injected: the logfiles of the annotation admission.datakit/logfwd.instances lie in 65 ' +
          'distinct log directories, more than the limit of 64 per pod (a directory inside another counts ' +
          'once); collect the logs from fewer directories',
      },
    });
  });
});
