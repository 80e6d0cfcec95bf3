import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTaskSetDifference, taskSetKey } from './task-set.ts';

const set = (...names: string[]) => new Map(names.map((name) => [name, 1]));

describe('taskSetKey', () => {
  it('ignores order and weights', () => {
    assert.equal(
      taskSetKey(
        new Map([
          ['b', 1],
          ['a', 2],
        ]),
      ),
      taskSetKey(
        new Map([
          ['a', 5],
          ['b', 1],
        ]),
      ),
    );
  });
  it('tells apart sets whose joined names would collide', () => {
    assert.notEqual(taskSetKey(set('a,b')), taskSetKey(set('a', 'b')));
  });
});

describe('describeTaskSetDifference', () => {
  const cases: readonly [string, Map<string, number>, Map<string, number>, RegExp][] = [
    [
      "uses upstream's count message when the sizes differ",
      set('a', 'b'),
      set('a', 'b', 'c'),
      /^Invalid election parameter: mismatched number of tasks, expect 2, got 3 \(unregistered: c\)/,
    ],
    [
      "uses upstream's unregistered-task message when the sizes match",
      set('a', 'b'),
      set('a', 'x'),
      /^Invalid election parameter: unregistered task: x \(missing: b; unregistered: x\)/,
    ],
    ['names missing tasks', set('a', 'b'), set('a'), /missing: b/],
  ];
  for (const [why, registered, requested, expected] of cases) {
    it(why, () => assert.match(describeTaskSetDifference(registered, requested), expected));
  }
});
