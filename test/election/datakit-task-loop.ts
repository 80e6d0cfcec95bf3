// DataKit 1.84's task-election client loop, as a pure state machine (the simulated fleets and the
// property test both drive it): an answer is applied once the same answer came three times in a row, and
// applying it pauses and resumes exactly that set, so an input that disappears from the answer keeps
// running. Only a restart of the DataKit stops it.

import { CONFIRMING_ANSWERS } from '../../src/election/constants.ts';

export class DataKitTaskLoop {
  /** The inputs this DataKit runs now, sorted. */
  running: readonly string[] = [];
  #candidate = '';
  #repeats = 0;

  /** One `allowed_inputs` answer. */
  receive(allowed: readonly string[]): void {
    const answer = JSON.stringify([...allowed].sort());
    this.#repeats = answer === this.#candidate ? this.#repeats + 1 : 1;
    this.#candidate = answer;
    if (this.#repeats === CONFIRMING_ANSWERS) {
      this.running = [...new Set([...this.running, ...allowed])].sort();
    }
  }
}
