import type { Problem } from './problem.ts';

/**
 * A value or an error as a value: the pure core never throws for expected bad input. The error is a
 * Problem (problem.ts); a `string` error is only a reason fragment that the caller turns into a Problem
 * naming the key it was read from (e.g. a selector parse error inside a config key).
 */
export type Result<T, E = Problem> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
