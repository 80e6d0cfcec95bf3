import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toCachedPod, type CachedPod } from './cached-pod.ts';
import { PodStore } from './pod-store.ts';
import { apiServerPod } from './fixtures.test-support.ts';

function cached(namespace: string, name: string, node?: string): CachedPod {
  const pod = toCachedPod(apiServerPod(namespace, name, node));
  assert.ok(pod);
  return pod;
}

const names = (pods: readonly CachedPod[]): string[] =>
  pods.map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}`);

describe('PodStore', () => {
  it('lists all pods sorted by namespace then name, whatever the arrival order', () => {
    const store = new PodStore();
    for (const pod of [cached('b', 'x', 'n1'), cached('a', 'z', 'n2'), cached('a', 'y', 'n1')])
      store.upsert(pod);
    assert.deepEqual(names(store.list({})), ['a/y', 'a/z', 'b/x']);
  });

  it('filters by namespace, by node, and by both', () => {
    const store = new PodStore();
    for (const pod of [
      cached('a', 'p1', 'n1'),
      cached('a', 'p2', 'n2'),
      cached('b', 'p3', 'n1'),
      cached('b', 'p4'),
    ])
      store.upsert(pod);
    assert.deepEqual(names(store.list({ namespace: 'a' })), ['a/p1', 'a/p2']);
    assert.deepEqual(names(store.list({ nodeName: 'n1' })), ['a/p1', 'b/p3']);
    assert.deepEqual(names(store.list({ namespace: 'b', nodeName: 'n1' })), ['b/p3']);
    assert.deepEqual(names(store.list({ nodeName: 'unknown' })), []);
    assert.deepEqual(names(store.list({ namespace: 'unknown' })), []);
  });

  it('moves a pod between nodes when it is scheduled', () => {
    const store = new PodStore();
    store.upsert(cached('a', 'p', undefined));
    assert.deepEqual(names(store.list({ nodeName: '' })), ['a/p']);
    store.upsert(cached('a', 'p', 'n1'));
    assert.deepEqual(names(store.list({ nodeName: '' })), []);
    assert.deepEqual(names(store.list({ nodeName: 'n1' })), ['a/p']);
    assert.equal(store.size(), 1);
  });

  it('forgets a deleted pod everywhere', () => {
    const store = new PodStore();
    store.upsert(cached('a', 'p', 'n1'));
    store.delete(cached('a', 'p', 'n1'));
    store.delete(cached('a', 'never-there', 'n1'));
    assert.equal(store.get('a', 'p'), undefined);
    assert.deepEqual(store.list({ nodeName: 'n1' }), []);
    assert.equal(store.size(), 0);
  });
});
