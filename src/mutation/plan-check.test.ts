import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TOTAL_ANNOTATION_BYTES } from './limits.ts';
import { PlanChecker } from './plan-check.ts';
import type { Edit } from './plan.ts';
import type { Pod } from '../podspec/types.ts';

const app = { list: 'containers', index: 0 } as const;
const pod: Pod = {
  spec: {
    initContainers: [{ name: 'init' }],
    containers: [
      {
        name: 'app',
        env: [
          { name: 'DUP', value: '1' },
          { name: 'DUP', value: '2' },
        ],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        volumeDevices: [{ name: 'disk', devicePath: '/dev/xvdb' }],
      },
    ],
    ephemeralContainers: [{ name: 'debugger' }],
    volumes: [{ name: 'data' }, { name: 'disk' }],
  },
};

describe('PlanChecker.check', () => {
  const cases: { name: string; edits: Edit[]; expected: string[] }[] = [
    {
      name: 'a plan that keeps the pod valid',
      edits: [
        { kind: 'add-volume', volume: { name: 'new' } },
        { kind: 'add-mount', target: app, mount: { name: 'new', mountPath: '/new' } },
        {
          kind: 'add-container',
          list: 'containers',
          container: { name: 'side', volumeMounts: [{ name: 'new', mountPath: '/n' }] },
        },
        { kind: 'set-env', target: app, env: [{ name: 'DUP' }, { name: 'DUP' }, { name: 'X' }] },
      ],
      expected: [],
    },
    {
      name: 'a container name used by an init, app or ephemeral container',
      edits: ['init', 'app', 'debugger'].map((name) => ({
        kind: 'add-container',
        list: 'containers',
        container: { name },
      })),
      expected: ['init', 'app', 'debugger'].map((name) => `container name "${name}" is used more than once`),
    },
    {
      name: 'a volume name taken, or added twice',
      edits: [
        { kind: 'add-volume', volume: { name: 'data' } },
        { kind: 'add-volume', volume: { name: 'x' } },
        { kind: 'add-volume', volume: { name: 'x' } },
      ],
      expected: ['volume name "data" is used more than once', 'volume name "x" is used more than once'],
    },
    {
      name: 'a mount at a taken path, at a device path, or of a missing volume',
      edits: [
        { kind: 'add-mount', target: app, mount: { name: 'data', mountPath: '/data' } },
        { kind: 'add-mount', target: app, mount: { name: 'data', mountPath: '/dev/xvdb' } },
        { kind: 'add-mount', target: app, mount: { name: 'gone', mountPath: '/g' } },
      ],
      expected: [
        'container "app" mounts more than one volume at "/data"',
        'container "app" mounts a volume at "/dev/xvdb", its device path',
        'container "app" mounts volume "gone", which does not exist',
      ],
    },
    {
      name: 'an env name the plan duplicates (the user already duplicating one is not ours)',
      edits: [
        {
          kind: 'set-env',
          target: app,
          env: [{ name: 'DUP' }, { name: 'DUP' }, { name: 'Y' }, { name: 'Y' }],
        },
      ],
      expected: ['container "app" defines env "Y" more than once'],
    },
    {
      name: 'a new container with two mounts at one path',
      edits: [
        {
          kind: 'add-container',
          list: 'initContainers',
          container: {
            name: 'side',
            volumeMounts: [
              { name: 'data', mountPath: '/p' },
              { name: 'data', mountPath: '/p' },
            ],
          },
        },
      ],
      expected: ['container "side" mounts more than one volume at "/p"'],
    },
    {
      name: 'an env name the plan duplicates in a long env (40 names and a repeat)',
      edits: [
        {
          kind: 'set-env',
          target: app,
          env: [...Array.from({ length: 40 }, (_, i) => ({ name: `E${i}` })), { name: 'E7' }],
        },
      ],
      expected: ['container "app" defines env "E7" more than once'],
    },
    {
      name: 'a new container with an env name twice',
      edits: [
        {
          kind: 'add-container',
          list: 'containers',
          container: { name: 'side', env: [{ name: 'A' }, { name: 'B' }, { name: 'A' }] },
        },
      ],
      expected: ['container "side" defines env "A" more than once'],
    },
  ];
  for (const { name, edits, expected } of cases) {
    it(name, () => assert.deepEqual(new PlanChecker().check(pod, edits), expected));
  }

  it('refuses an annotation that would take the pod over the API server limit', () => {
    const nearlyFull: Pod = {
      metadata: { annotations: { big: 'x'.repeat(MAX_TOTAL_ANNOTATION_BYTES - 10) } },
    };
    const checker = new PlanChecker();
    assert.deepEqual(checker.check(nearlyFull, [{ kind: 'set-annotation', key: 'k', value: 'v' }]), []);
    assert.deepEqual(
      checker.check(nearlyFull, [{ kind: 'set-annotation', key: 'datakit/logs', value: '[]' }]),
      [
        `annotation "datakit/logs" would take the pod's annotations over the API server's limit of ${MAX_TOTAL_ANNOTATION_BYTES} bytes`,
      ],
    );
  });

  it('remembers what applied plans added', () => {
    const checker = new PlanChecker();
    const first: Edit[] = [
      { kind: 'add-volume', volume: { name: 'shared' } },
      { kind: 'add-mount', target: app, mount: { name: 'shared', mountPath: '/s' } },
    ];
    assert.deepEqual(checker.check(pod, first), []);
    checker.record(pod, first);
    assert.deepEqual(
      checker.check(pod, [{ kind: 'add-mount', target: app, mount: { name: 'shared', mountPath: '/s' } }]),
      ['container "app" mounts more than one volume at "/s"'],
    );
    assert.deepEqual(checker.check(pod, [{ kind: 'add-volume', volume: { name: 'shared' } }]), [
      'volume name "shared" is used more than once',
    ]);
  });
});
