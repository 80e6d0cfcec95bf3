import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isoTimeField } from './log-time.ts';

describe('isoTimeField', () => {
  const cases: readonly { readonly name: string; readonly at: number }[] = [
    { name: 'a whole second', at: Date.UTC(2026, 11, 2, 1, 41, 43, 0) },
    { name: 'one millisecond in', at: Date.UTC(2026, 11, 2, 1, 41, 43, 1) },
    { name: 'two-digit milliseconds', at: Date.UTC(2026, 11, 2, 1, 41, 43, 52) },
    { name: 'the last millisecond of a year', at: Date.UTC(2026, 11, 31, 23, 59, 59, 999) },
    { name: 'the epoch', at: 0 },
  ];
  for (const { name, at } of cases) {
    it(`writes what toISOString writes: ${name}`, () => {
      assert.equal(isoTimeField(() => at)(), `,"time":"${new Date(at).toISOString()}"`);
    });
  }

  it('follows the clock across second boundaries, back and forth', () => {
    const times = [1_000, 1_999, 2_000, 1_500, 61_000_123, 61_000_124];
    let index = 0;
    const field = isoTimeField(() => times[index] as number);
    for (index = 0; index < times.length; index += 1) {
      assert.equal(field(), `,"time":"${new Date(times[index] as number).toISOString()}"`);
    }
  });
});
