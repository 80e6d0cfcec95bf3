import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListAnswerCache } from './list-answer-cache.ts';

describe('ListAnswerCache', () => {
  const all = { kind: 'all' } as const;
  const trimmed = { view: 'ebpf-v1', nodeName: undefined } as const;

  it('answers from the cache only at the revision the answer was built for', () => {
    const cache = new ListAnswerCache();
    const key = ListAnswerCache.keyOf(all, trimmed) ?? '';
    cache.set(key, 7, '[]');
    assert.equal(cache.get(key, 7), '[]');
    assert.equal(cache.get(key, 8), undefined);
  });

  it('keeps one answer per route, namespace, node and view', () => {
    const keys = new Set([
      ListAnswerCache.keyOf(all, trimmed),
      ListAnswerCache.keyOf(all, { view: 'full', nodeName: undefined }),
      ListAnswerCache.keyOf(all, { view: 'ebpf-v1', nodeName: 'node-a' }),
      ListAnswerCache.keyOf({ kind: 'namespace', namespace: 'a' }, trimmed),
      ListAnswerCache.keyOf({ kind: 'namespace', namespace: 'b' }, trimmed),
    ]);
    assert.equal(keys.size, 5);
  });

  it('never caches one pod', () => {
    assert.equal(ListAnswerCache.keyOf({ kind: 'pod', namespace: 'a', name: 'p' }, trimmed), undefined);
  });

  it('starts over instead of growing past its bound when callers make up keys', () => {
    const cache = new ListAnswerCache(3);
    for (const node of ['a', 'b', 'c', 'd', 'e']) {
      cache.set(ListAnswerCache.keyOf(all, { view: 'ebpf-v1', nodeName: node }) ?? '', 1, '[]');
      assert.ok(cache.size <= 3);
    }
  });
});
