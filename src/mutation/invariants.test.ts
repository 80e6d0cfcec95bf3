import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listInvariantViolations } from './invariants.ts';
import type { Pod } from '../podspec/types.ts';

const cases: { name: string; pod: Pod; expected: string[] }[] = [
  {
    name: 'a valid pod has no violations',
    pod: {
      spec: {
        containers: [
          { name: 'a', volumeMounts: [{ name: 'v', mountPath: '/v' }], env: [{ name: 'X', value: '1' }] },
        ],
        volumes: [{ name: 'v' }],
      },
    },
    expected: [],
  },
  {
    name: 'an init container and an app container sharing a name',
    pod: { spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'a' }] } },
    expected: ['container name "a" is used more than once'],
  },
  {
    name: 'two volumes with one name',
    pod: { spec: { containers: [{ name: 'a' }], volumes: [{ name: 'v' }, { name: 'v' }] } },
    expected: ['volume name "v" is used more than once'],
  },
  {
    name: 'two mounts at one path',
    pod: {
      spec: {
        containers: [
          {
            name: 'a',
            volumeMounts: [
              { name: 'v', mountPath: '/p' },
              { name: 'w', mountPath: '/p' },
            ],
          },
        ],
        volumes: [{ name: 'v' }, { name: 'w' }],
      },
    },
    expected: ['container "a" mounts more than one volume at "/p"'],
  },
  {
    name: 'a mount of a missing volume',
    pod: { spec: { containers: [{ name: 'a', volumeMounts: [{ name: 'gone', mountPath: '/p' }] }] } },
    expected: ['container "a" mounts volume "gone", which does not exist'],
  },
  {
    name: 'a duplicate env name',
    pod: { spec: { containers: [{ name: 'a', env: [{ name: 'X' }, { name: 'X', value: '2' }] }] } },
    expected: ['container "a" defines env "X" more than once'],
  },
  {
    name: 'a mount at the path of a volumeDevice',
    pod: {
      spec: {
        containers: [
          {
            name: 'a',
            volumeMounts: [{ name: 'v', mountPath: '/dev/xvda' }],
            volumeDevices: [{ name: 'disk', devicePath: '/dev/xvda' }],
          },
        ],
        volumes: [{ name: 'v' }, { name: 'disk' }],
      },
    },
    expected: ['container "a" mounts a volume at "/dev/xvda", its device path'],
  },
  {
    name: '/var/log and /var/log/ are different paths',
    pod: {
      spec: {
        containers: [
          {
            name: 'a',
            volumeMounts: [
              { name: 'v', mountPath: '/var/log' },
              { name: 'w', mountPath: '/var/log/' },
            ],
          },
        ],
        volumes: [{ name: 'v' }, { name: 'w' }],
      },
    },
    expected: [],
  },
];

describe('listInvariantViolations', () => {
  for (const { name, pod, expected } of cases) {
    it(name, () => assert.deepEqual(listInvariantViolations(pod), expected));
  }
});
