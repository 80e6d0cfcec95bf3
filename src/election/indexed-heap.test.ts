import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IndexedHeap } from './indexed-heap.ts';

/** Drains the heap, lowest first. */
function drain(heap: IndexedHeap<string>): string[] {
  const order: string[] = [];
  for (let key = heap.peek(); key !== undefined; key = heap.peek()) {
    order.push(key);
    heap.delete(key);
  }
  return order;
}

describe('IndexedHeap', () => {
  const cases: readonly [
    string,
    (priority: Map<string, number>, heap: IndexedHeap<string>) => void,
    string[],
  ][] = [
    ['gives keys back lowest first', () => {}, ['a', 'b', 'c', 'd', 'e']],
    [
      'moves a key whose priority rose',
      (priority, heap) => {
        priority.set('a', 10);
        heap.update('a');
      },
      ['b', 'c', 'd', 'e', 'a'],
    ],
    [
      'moves a key whose priority fell',
      (priority, heap) => {
        priority.set('e', -1);
        heap.update('e');
      },
      ['e', 'a', 'b', 'c', 'd'],
    ],
    ['removes any key, not only the lowest', (_priority, heap) => heap.delete('c'), ['a', 'b', 'd', 'e']],
    [
      'ignores removing a key it does not hold',
      (_priority, heap) => heap.delete('z'),
      ['a', 'b', 'c', 'd', 'e'],
    ],
  ];
  for (const [behaviour, change, expected] of cases) {
    it(behaviour, () => {
      const priority = new Map([
        ['c', 3],
        ['a', 1],
        ['e', 5],
        ['b', 2],
        ['d', 4],
      ]);
      const heap = new IndexedHeap<string>((x, y) => priority.get(x)! - priority.get(y)!);
      for (const key of priority.keys()) heap.update(key);
      change(priority, heap);
      assert.deepEqual(drain(heap), expected);
    });
  }
});
