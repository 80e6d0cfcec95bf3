import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assignTasks } from './task-assignment.ts';

const tasks = (entries: Record<string, number>) => new Map(Object.entries(entries));
const plain = (assignment: ReadonlyMap<string, readonly string[]>) => Object.fromEntries(assignment);

describe('assignTasks', () => {
  const cases: readonly {
    why: string;
    tasks: Record<string, number>;
    ids: string[];
    expected: Record<string, string[]>;
  }[] = [
    {
      why: 'gives everything to a single DataKit',
      tasks: { a: 1, b: 2 },
      ids: ['dk1'],
      expected: { dk1: ['a', 'b'] },
    },
    {
      why: 'places the heaviest task first, then fills the lightest share',
      tasks: { k8s: 5, mysql: 3, redis: 2, nginx: 1 },
      ids: ['dk1', 'dk2'],
      // k8s(5)→dk1; mysql(3)→dk2; redis(2)→dk2 (3<5); nginx(1)→dk1 (5=5, 1 task < 2 tasks).
      expected: { dk1: ['k8s', 'nginx'], dk2: ['mysql', 'redis'] },
    },
    {
      why: 'breaks weight ties by name and share ties by id',
      tasks: { b: 1, a: 1, c: 1 },
      ids: ['z', 'y', 'x'],
      expected: { x: ['a'], y: ['b'], z: ['c'] },
    },
    {
      why: 'leaves a DataKit empty only when there are more DataKits than tasks',
      tasks: { a: 1, b: 1 },
      ids: ['dk1', 'dk2', 'dk3'],
      expected: { dk1: ['a'], dk2: ['b'], dk3: [] },
    },
    { why: 'assigns nothing without DataKits', tasks: { a: 1 }, ids: [], expected: {} },
    {
      why: 'balances weight-0 tasks by their number',
      tasks: { a: 0, b: 0, c: 0, d: 0 },
      ids: ['dk1', 'dk2'],
      expected: { dk1: ['a', 'c'], dk2: ['b', 'd'] },
    },
  ];
  for (const { why, tasks: set, ids, expected } of cases) {
    it(why, () => assert.deepEqual(plain(assignTasks(tasks(set), ids)), expected));
  }

  it('gives every task to exactly one DataKit, whatever the input order (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.nat(20), { maxKeys: 15 }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        (set, ids) => {
          const assignment = assignTasks(tasks(set), ids);
          const assigned = [...assignment.values()].flat().sort();
          assert.deepEqual(assigned, Object.keys(set).sort());
          const shuffled = assignTasks(new Map(Object.entries(set).reverse()), [...ids].reverse());
          assert.deepEqual(plain(shuffled), plain(assignment));
          if (Object.keys(set).length >= ids.length) {
            for (const share of assignment.values())
              assert.ok(share.length > 0, 'nobody is idle while tasks remain');
          }
        },
      ),
    );
  });
});
