// Counts bumped on every admission are kept here as plain numbers and handed to prom-client only when
// /metrics is scraped. prom-client hashes and validates the whole label set on every inc(), and an
// admission bumps one result series and one series per feature; a scrape comes every 15 s or so.
// The counts are keyed by nested maps of the label values, so that counting builds no key string.

import type { Counter } from 'prom-client';

interface Cell {
  count: number;
}

type Level = Map<string, Level | Cell>;

function cellAt(root: Level, values: readonly string[], depth: number): Cell {
  let level = root;
  for (let index = 0; index < depth - 1; index += 1) {
    const key = values[index] as string;
    let next = level.get(key) as Level | undefined;
    if (next === undefined) {
      next = new Map();
      level.set(key, next);
    }
    level = next;
  }
  const last = values[depth - 1] as string;
  let cell = level.get(last) as Cell | undefined;
  if (cell === undefined) {
    cell = { count: 0 };
    level.set(last, cell);
  }
  return cell;
}

function* cellsOf(level: Level, depth: number, prefix: string[]): Generator<[string[], Cell]> {
  for (const [key, value] of level) {
    const values = [...prefix, key];
    if (depth === 1) yield [values, value as Cell];
    else yield* cellsOf(value as Level, depth - 1, values);
  }
}

/** The counts of one counter, by its label values in the order of `labelNames`. */
export class ScrapeTimeCounts<Label extends string> {
  readonly #root: Level = new Map();
  readonly #depth: number;
  /** One array reused for every count: the values are read at once and never kept. */
  readonly #values: string[];

  constructor(readonly labelNames: readonly Label[]) {
    if (labelNames.length < 1 || labelNames.length > 3) {
      throw new Error(`ScrapeTimeCounts takes one to three labels, not ${labelNames.length}`);
    }
    this.#depth = labelNames.length;
    this.#values = new Array<string>(this.#depth).fill('');
  }

  /** Counts one event of the series with these label values (as many as `labelNames`). */
  add(first: string, second?: string, third?: string): void {
    const values = this.#values;
    values[0] = first;
    if (second !== undefined) values[1] = second;
    if (third !== undefined) values[2] = third;
    cellAt(this.#root, values, this.#depth).count += 1;
  }

  /** Sets `counter` to these counts; call it from the counter's `collect()`. */
  writeTo(counter: Counter<Label>): void {
    counter.reset();
    for (const [values, cell] of cellsOf(this.#root, this.#depth, [])) {
      const labels = {} as Record<Label, string>;
      this.labelNames.forEach((name, index) => {
        labels[name] = values[index] as string;
      });
      counter.inc(labels, cell.count);
    }
  }
}
