// What a child process measuring one corpus item reports to the parent (one JSON line on stdout).

export interface TimedSeries {
  /** Median µs per call over the measured calls. */
  readonly medianUs: number;
  readonly calls: number;
}

export type ItemResult =
  | {
      readonly status: 'measured';
      readonly name: string;
      readonly bytes: number;
      readonly firstMs: number;
      /** The longest single call (first call included): the worst event-loop block of this request. */
      readonly worstMs: number;
      readonly ours: TimedSeries;
      readonly baseline: TimedSeries | undefined;
      readonly outcome: string;
    }
  | {
      readonly status: 'blocked';
      readonly name: string;
      readonly bytes: number;
      readonly firstMs: number;
      readonly outcome: string;
    };

export const RESULT_LINE_PREFIX = 'BENCH_RESULT ';

/** Printed just before the item's first call; the parent's timeout for the call starts when it sees it. */
export const FIRST_CALL_MARKER = 'BENCH_FIRST_CALL';
