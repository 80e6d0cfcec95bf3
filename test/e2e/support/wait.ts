// Polling with a deadline: the API server, the controller manager and the operator all act
// asynchronously, so every "eventually" in the e2e tier goes through here and fails with what it last saw.

import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Says what was awaited, for the failure message. */
  readonly what: string;
}

/** Thrown by a probe to stop waiting at once: what it waits for can no longer happen. */
export class PollAbort extends Error {}

/**
 * Calls `probe` until it returns something other than undefined, and returns that. A probe that throws
 * is retried (the API server may not be ready for it yet), unless it throws PollAbort; its last error is
 * in the timeout message.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 250;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = undefined;
    } catch (error) {
      if (error instanceof PollAbort) throw error;
      last = error;
    }
    if (Date.now() >= deadline) {
      const reason = last instanceof Error ? `; last error: ${last.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${reason}`);
    }
    await sleep(interval);
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
