import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BodyBudget } from './body-budget.ts';

describe('BodyBudget', () => {
  it('takes bytes up to its limit and refuses what does not fit, taking nothing', () => {
    const budget = new BodyBudget(100);
    assert.equal(budget.tryTake(60), true);
    assert.equal(budget.tryTake(40), true);
    assert.equal(budget.heldBytes, 100);
    assert.equal(budget.tryTake(1), false);
    assert.equal(budget.heldBytes, 100);
  });

  it('fits again what was given back', () => {
    const budget = new BodyBudget(100);
    budget.tryTake(100);
    budget.giveBack(30);
    assert.equal(budget.tryTake(31), false);
    assert.equal(budget.tryTake(30), true);
  });

  it('never holds less than nothing, whatever is given back', () => {
    const budget = new BodyBudget(100);
    budget.tryTake(10);
    budget.giveBack(50);
    assert.equal(budget.heldBytes, 0);
    assert.equal(budget.tryTake(100), true);
  });

  for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`refuses a limit of ${limit}`, () => {
      assert.throws(() => new BodyBudget(limit), /positive whole number of bytes/);
    });
  }
});
