// The current config snapshot. Hot reload swaps the whole (frozen) object in one assignment, so a request
// that reads `get()` once sees one consistent config from start to end, never half of an old and half of
// a new one.

import type { OperatorConfig } from './types.ts';

export type ConfigListener = (next: OperatorConfig, previous: OperatorConfig) => void;

export class ConfigHolder {
  #current: OperatorConfig;
  readonly #listeners = new Set<{ readonly listener: ConfigListener }>();

  constructor(initial: OperatorConfig) {
    this.#current = initial;
  }

  get(): OperatorConfig {
    return this.#current;
  }

  /** Swaps the snapshot first, then tells the listeners (e.g. the logger's level), in subscription order. */
  replace(next: OperatorConfig): void {
    const previous = this.#current;
    this.#current = next;
    for (const { listener } of [...this.#listeners]) listener(next, previous);
  }

  /** Returns the function that unsubscribes; subscribing the same function twice calls it twice. */
  onChange(listener: ConfigListener): () => void {
    const subscription = { listener };
    this.#listeners.add(subscription);
    return () => {
      this.#listeners.delete(subscription);
    };
  }
}
