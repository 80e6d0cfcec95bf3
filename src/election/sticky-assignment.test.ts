import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StickyAssignment } from './sticky-assignment.ts';

const TASKS = new Map([
  ['kubernetes', 3],
  ['mysql', 2],
  ['redis', 1],
  ['nginx', 1],
]);

/** Input → holder, as plain sorted pairs. */
function holders(shares: StickyAssignment): Record<string, string> {
  return Object.fromEntries([...shares.snapshot()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('StickyAssignment', () => {
  const cases: readonly [string, (shares: StickyAssignment) => void, Record<string, string>][] = [
    [
      'places the orphans heaviest first onto the lightest share',
      (shares) => {
        shares.join('a');
        shares.join('b');
      },
      { kubernetes: 'a', mysql: 'b', nginx: 'b', redis: 'a' },
    ],
    [
      'leaves claimed inputs with their claimant: a joiner gets only what nobody claims',
      (shares) => {
        shares.join('b', ['kubernetes', 'mysql', 'redis']);
        shares.join('a');
      },
      { kubernetes: 'b', mysql: 'b', nginx: 'a', redis: 'b' },
    ],
    [
      'gives an input two members claim to the lowest id',
      (shares) => {
        shares.join('b', ['redis']);
        shares.join('a', ['redis']);
      },
      { kubernetes: 'b', mysql: 'a', nginx: 'b', redis: 'a' },
    ],
    [
      'hands an input to its next claimant when its holder leaves',
      (shares) => {
        shares.join('a', ['redis']);
        shares.join('b', ['redis', 'kubernetes']);
        shares.leave('a');
      },
      { kubernetes: 'b', mysql: 'b', nginx: 'b', redis: 'b' },
    ],
    [
      'places the inputs of a leaving holder onto the survivors, keeping what they hold',
      (shares) => {
        shares.join('a', ['kubernetes']);
        shares.join('b', ['mysql']);
        shares.join('c', ['redis', 'nginx']);
        shares.leave('a');
      },
      { kubernetes: 'b', mysql: 'b', nginx: 'c', redis: 'c' },
    ],
    [
      'ignores claims of inputs outside the task set',
      (shares) => shares.join('a', ['postgres']),
      { kubernetes: 'a', mysql: 'a', nginx: 'a', redis: 'a' },
    ],
  ];
  for (const [behaviour, apply, expected] of cases) {
    it(behaviour, () => {
      const shares = new StickyAssignment(TASKS);
      apply(shares);
      assert.deepEqual(holders(shares), expected);
    });
  }

  it('assigns nothing without members, and everything once one joins', () => {
    const shares = new StickyAssignment(TASKS);
    assert.deepEqual(holders(shares), {});
    shares.join('a');
    assert.deepEqual(shares.shareOf('a'), ['kubernetes', 'mysql', 'nginx', 'redis']);
    assert.equal(shares.largestShare(), 4);
  });

  it('keeps the largest-share count as members come and go', () => {
    const shares = new StickyAssignment(TASKS);
    shares.join('a', ['kubernetes', 'mysql', 'redis']);
    shares.join('b');
    assert.equal(shares.largestShare(), 3);
    shares.leave('a');
    assert.equal(shares.largestShare(), 4);
  });
});
