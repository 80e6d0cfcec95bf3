import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MemberView } from './task-members.ts';
import { mergeMembers, resolveRegisteredTaskSet, resolveWeights } from './task-view.ts';

const member = (id: string, tasks: Record<string, number>, ageMs = 0): MemberView => ({
  id,
  tasks: new Map(Object.entries(tasks)),
  ageMs,
});

describe('mergeMembers', () => {
  it('keeps one view per DataKit, the most recent poll', () => {
    const merged = mergeMembers(
      [member('a', { x: 1 }, 5000)],
      [member('a', { y: 1 }, 100), member('b', { x: 1 })],
    );
    assert.deepEqual([...merged.keys()], ['a', 'b']);
    assert.equal(merged.get('a')?.ageMs, 100);
  });
});

describe('resolveRegisteredTaskSet', () => {
  it('is undefined without members', () => assert.equal(resolveRegisteredTaskSet([]), undefined));
  it('picks the set most members report', () => {
    const registered = resolveRegisteredTaskSet([
      member('a', { x: 1 }),
      member('b', { y: 1 }),
      member('c', { y: 1 }),
    ]);
    assert.deepEqual([...(registered?.tasks.keys() ?? [])], ['y']);
  });
  it('breaks a tie the same way whatever the member order', () => {
    const one = resolveRegisteredTaskSet([member('a', { x: 1 }), member('b', { y: 1 })]);
    const other = resolveRegisteredTaskSet([member('b', { y: 1 }), member('a', { x: 1 })]);
    assert.equal(one?.key, other?.key);
  });
});

describe('resolveWeights', () => {
  it('takes the largest count reported for each task', () => {
    assert.deepEqual(
      Object.fromEntries(resolveWeights([member('a', { x: 1, y: 4 }), member('b', { x: 3, y: 2 })])),
      {
        x: 3,
        y: 4,
      },
    );
  });
});
