import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ANSWER_MEMORY_FACTOR, TransferBudget } from './transfer-budget.ts';
import type { HttpResponse } from './http-types.ts';

/** The part of a response the budget watches: its 'finish' and 'close', and destroy. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  destroyed = 0;
  setHeader(): this {
    return this;
  }
  writeHead(): this {
    return this;
  }
  end(): this {
    return this;
  }
  destroy(): this {
    this.destroyed += 1;
    this.emit('close');
    return this;
  }
}

const SEND = (): void => {};

function fakeResponse(): FakeResponse & HttpResponse {
  return new FakeResponse() as FakeResponse & HttpResponse;
}

describe('TransferBudget', () => {
  it('takes bytes up to its limit and refuses what does not fit, taking nothing', () => {
    const budget = new TransferBudget(100, 15_000);
    assert.equal(budget.tryTake(60), true);
    assert.equal(budget.tryTake(40), true);
    assert.equal(budget.heldBytes, 100);
    assert.equal(budget.tryTake(1), false);
    assert.equal(budget.heldBytes, 100);
  });

  it('fits again what was given back', () => {
    const budget = new TransferBudget(100, 15_000);
    budget.tryTake(100);
    budget.giveBack(30);
    assert.equal(budget.tryTake(31), false);
    assert.equal(budget.tryTake(30), true);
  });

  it('never holds less than nothing, whatever is given back', () => {
    const budget = new TransferBudget(100, 15_000);
    budget.tryTake(10);
    budget.giveBack(50);
    assert.equal(budget.heldBytes, 0);
    assert.equal(budget.tryTake(100), true);
  });

  for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`refuses a limit of ${limit}`, () => {
      assert.throws(() => new TransferBudget(limit, 15_000), /positive whole number of bytes/);
    });
  }

  it("holds an answer's bytes until its response emits 'finish', once", () => {
    const budget = new TransferBudget(100, 15_000);
    const response = fakeResponse();
    // 30 bytes of text take 90 of the budget (ANSWER_MEMORY_FACTOR): 4 more would take 12.
    assert.equal(budget.tryHoldAnswer(response, 30, SEND), true);
    assert.equal(budget.heldBytes, 30 * ANSWER_MEMORY_FACTOR);
    assert.equal(budget.tryHoldAnswer(fakeResponse(), 4, SEND), false);
    response.emit('finish');
    response.emit('finish');
    assert.equal(budget.heldBytes, 0);
    assert.equal(budget.heldAnswers, 0);
  });

  it('sends nothing when the answer does not fit', () => {
    const budget = new TransferBudget(100, 15_000);
    let sent = 0;
    assert.equal(
      budget.tryHoldAnswer(fakeResponse(), 40, () => (sent += 1)),
      false,
    );
    assert.equal(sent, 0);
  });

  it('keeps the bytes of an answer whose client left until the deadline, then gives them back', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const budget = new TransferBudget(100, 0);
    const response = fakeResponse();
    budget.tryHoldAnswer(response, 20, SEND);
    response.emit('close');
    assert.equal(budget.heldBytes, 20 * ANSWER_MEMORY_FACTOR);
    t.mock.timers.tick(1_000);
    assert.equal(budget.heldBytes, 0);
  });

  it('cuts an answer its client has not taken within the deadline, and gives its bytes back', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const budget = new TransferBudget(100, 0);
    const late = fakeResponse();
    budget.tryHoldAnswer(late, 20, SEND);
    t.mock.timers.tick(1_000);
    assert.equal(late.destroyed, 1);
    assert.equal(budget.heldBytes, 0);
    assert.equal(budget.heldAnswers, 0);
  });

  it('leaves an answer alone before its deadline', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const budget = new TransferBudget(100, 60_000);
    const response = fakeResponse();
    budget.tryHoldAnswer(response, 20, SEND);
    t.mock.timers.tick(5_000);
    assert.equal(response.destroyed, 0);
    assert.equal(budget.heldBytes, 20 * ANSWER_MEMORY_FACTOR);
    response.emit('finish');
  });
});
