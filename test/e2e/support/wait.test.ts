import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapBounded, PollAbort, pollUntil } from './wait.ts';

describe('pollUntil', () => {
  it('returns the first value that is not undefined, retrying errors', async () => {
    let calls = 0;
    const value = await pollUntil(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('not yet');
        return calls === 3 ? 'done' : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 1, what: 'a value' },
    );
    assert.equal(value, 'done');
    assert.equal(calls, 3);
  });

  it('names what it waited for and the last error when it times out', async () => {
    await assert.rejects(
      pollUntil(
        async () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 20, intervalMs: 5, what: 'the API server' },
      ),
      /timed out after 20 ms waiting for the API server; last error: connection refused/,
    );
  });

  it('stops at once on PollAbort', async () => {
    let calls = 0;
    await assert.rejects(
      pollUntil(
        async () => {
          calls += 1;
          throw new PollAbort('the process exited');
        },
        { timeoutMs: 5_000, intervalMs: 1, what: 'x' },
      ),
      /the process exited/,
    );
    assert.equal(calls, 1);
  });
});

describe('mapBounded', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0], 2, async (item, index) => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(item);
      running -= 1;
      return `${index}:${item}`;
    });
    assert.deepStrictEqual(results, ['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    assert.equal(peak, 2);
  });
});
