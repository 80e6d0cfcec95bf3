import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../podspec/types.ts';
import { resolveFreeVolumeName } from './volume-names.ts';

const podWithVolumes = (...names: string[]): Pod => ({
  spec: { containers: [], volumes: names.map((name) => ({ name, emptyDir: {} })) },
});

const cases = [
  { name: 'takes the first candidate when the pod has no volumes', pod: {}, expected: 'tmp' },
  { name: 'takes the first candidate when no volume uses it', pod: podWithVolumes('data'), expected: 'tmp' },
  {
    name: 'takes the next candidate when a user volume has the first name',
    pod: podWithVolumes('tmp'),
    expected: 'datakit-profiler-tmp',
  },
  {
    name: 'finds no name when every candidate is taken',
    pod: podWithVolumes('datakit-profiler-tmp', 'tmp'),
    expected: undefined,
  },
];

describe('resolveFreeVolumeName', () => {
  for (const { name, pod, expected } of cases) {
    it(name, () => assert.equal(resolveFreeVolumeName(pod, ['tmp', 'datakit-profiler-tmp']), expected));
  }
});
