// A clock the test moves by hand. Wall time and monotonic time advance together unless a test makes the
// wall clock jump on its own (to show that only monotonic time decides expiry).

import type { Clock } from '../../src/election/clock.ts';

export class FakeClock implements Clock {
  #wallMs: number;
  #monotonicMs = 1_000;

  constructor(start = new Date('2026-09-05T10:00:00Z')) {
    this.#wallMs = start.getTime();
  }

  now(): Date {
    return new Date(this.#wallMs);
  }

  monotonicMs(): number {
    return this.#monotonicMs;
  }

  advance(ms: number): void {
    this.#wallMs += ms;
    this.#monotonicMs += ms;
  }

  /** Moves only the wall clock (an NTP step, or another node's skew). */
  jumpWallClock(ms: number): void {
    this.#wallMs += ms;
  }
}
