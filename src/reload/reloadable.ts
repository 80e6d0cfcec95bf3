// One idea used for every value that can change while the operator runs (the config, the serving
// certificate): read the current value at any time, hear about each new one, stop. A request reads
// `current()` once and keeps that snapshot to the end, so it never sees half of an old value and half
// of a new one.

export type ChangeListener<T> = (next: T, previous: T) => void;

export interface Reloadable<T> {
  current(): T;
  /** Calls `listener` after each change, in subscription order; returns the function that unsubscribes. */
  onChange(listener: ChangeListener<T>): () => void;
  /** Stops whatever keeps the value current (a file watch); listeners are dropped. */
  close(): void;
}

/** A Reloadable whose owner swaps the value; `onClose` stops the owner's source (a watcher). */
export class ReloadableValue<T> implements Reloadable<T> {
  #current: T;
  readonly #listeners = new Set<{ readonly listener: ChangeListener<T> }>();
  readonly #onClose: () => void;

  constructor(initial: T, onClose: () => void = () => {}) {
    this.#current = initial;
    this.#onClose = onClose;
  }

  current(): T {
    return this.#current;
  }

  /** Swaps the value first, then tells the listeners. */
  replace(next: T): void {
    const previous = this.#current;
    this.#current = next;
    for (const { listener } of [...this.#listeners]) listener(next, previous);
  }

  onChange(listener: ChangeListener<T>): () => void {
    // Wrapped, so that subscribing the same function twice calls it twice and each unsubscribes alone.
    const subscription = { listener };
    this.#listeners.add(subscription);
    return () => {
      this.#listeners.delete(subscription);
    };
  }

  close(): void {
    this.#listeners.clear();
    this.#onClose();
  }
}

/** A value that never changes (the ephemeral certificate). */
export function fixedValue<T>(value: T): Reloadable<T> {
  return {
    current: () => value,
    onChange: () => () => {},
    close: () => {},
  };
}
