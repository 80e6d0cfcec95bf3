// The election's Clock, moved by the bench: simulated DataKits poll every 4 s of simulated time, however
// long the real work takes, so liveness never depends on how fast the machine is.

import type { Clock } from '../../src/election/clock.ts';

export class ManualClock implements Clock {
  #ms = 1_000;

  now(): Date {
    return new Date(1_800_000_000_000 + this.#ms);
  }

  monotonicMs(): number {
    return this.#ms;
  }

  advance(ms: number): void {
    this.#ms += ms;
  }
}
