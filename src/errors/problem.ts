// The one error shape: every fallible function of the operator returns `Result<T, Problem>` (result.ts).
// A problem is a value for machines (the code, the key path) and for people (a message that names the field
// and says what to change). One failure that gathers several problems — every invalid key of a config file,
// every bad entry of an annotation — is one Problem whose message sums them up and whose `problems` lists
// each; a function that only gathers (config validation) returns the list itself, `readonly Problem[]`.

import type { ErrorCode } from './codes.ts';

export interface Problem {
  readonly code: ErrorCode;
  /** The key the problem is about, written as the user points at it: `admission_inject.ddtrace.images`. */
  readonly path?: string;
  /** For people: names the field and says what to change. */
  readonly message: string;
  /** The individual problems, when this one sums several up. */
  readonly problems?: readonly Problem[];
}

export function problem(code: ErrorCode, message: string, path?: string): Problem {
  return path === undefined ? { code, message } : { code, path, message };
}

/** One problem that sums up `problems`. */
export function problemOf(code: ErrorCode, message: string, problems: readonly Problem[]): Problem {
  return { code, message, problems };
}

/** The messages of the problems `summary` sums up, one each (none when it sums up nothing). */
export function detailsOf(summary: Problem): readonly string[] {
  return (summary.problems ?? []).map((item) => item.message);
}
