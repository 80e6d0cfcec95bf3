import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allContainerNames, hasContainerNamed } from './containers.ts';
import type { Pod } from './types.ts';

const pod = {
  spec: {
    containers: [{ name: 'app' }],
    initContainers: [{ name: 'init' }],
    ephemeralContainers: [{ name: 'debugger' }],
  },
} as Pod;
// A malformed list (not an array) names nothing; the API server would refuse such a pod anyway.
const malformed = {
  spec: { containers: [{ name: 'app' }], initContainers: { name: 'x' } },
} as unknown as Pod;

describe('container names', () => {
  it('takes regular, init and ephemeral containers together', () => {
    assert.deepEqual([...allContainerNames(pod)], ['app', 'init', 'debugger']);
    for (const name of ['app', 'init', 'debugger']) assert.equal(hasContainerNamed(pod, name), true, name);
    assert.equal(hasContainerNamed(pod, 'other'), false);
  });

  it('reads only the lists that are lists', () => {
    assert.deepEqual([...allContainerNames(malformed)], ['app']);
    assert.equal(hasContainerNamed(malformed, 'x'), false);
    assert.deepEqual([...allContainerNames({} as Pod)], []);
    assert.equal(hasContainerNamed({} as Pod, 'app'), false);
  });
});
