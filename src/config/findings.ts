// Collects every problem found in a config document, each naming its full key path, so that one run of
// `config validate` (or one failed start) shows the user everything to fix, not just the first mistake.

import { ErrorCode } from '../errors/codes.ts';
import { problem as problemAt, type Problem } from '../errors/problem.ts';

/** Object keys that can be written bare in a path; anything else is quoted (`envs["my env"]`). */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The path of a descendant, written the way a user would point at it: `a.b[0].c`, `requests["x/y"]`. */
export function childPath(path: string, ...keys: readonly (string | number)[]): string {
  let result = path;
  for (const key of keys) {
    if (typeof key === 'number') result = `${result}[${key}]`;
    else if (!PLAIN_KEY.test(key)) result = `${result}[${JSON.stringify(key)}]`;
    else result = result === '' ? key : `${result}.${key}`;
  }
  return result;
}

export function formatPath(segments: readonly (string | number)[]): string {
  return childPath('', ...segments);
}

const MAX_SHOWN_STRING = 80;

/** Why most ignored entries are left out rather than refused: the Go operator went on without them. */
const IGNORED_AS_UPSTREAM = 'as the Go operator ignored it';

/** A value as messages show it: strings quoted (and shortened), containers by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN_STRING ? `${value.slice(0, MAX_SHOWN_STRING)}…` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export class Findings {
  /** Each a DKO_ERR_CONFIG_INVALID problem at its key path; the message starts with that path too. */
  readonly errors: Problem[] = [];
  readonly warnings: string[] = [];
  /**
   * Entries left out of the running config although the operator starts: what the Go operator also
   * skipped (a pattern it could not compile, a non-string env value) is skipped here too (SPEC §12.1), so an
   * upgrade starts with the same meaning. Unlike warnings they make `config validate` exit 1 and are counted
   * in a metric: the user's config says something that does not happen.
   */
  readonly ignored: string[] = [];
  readonly #origins: ReadonlyMap<string, string>;

  /** @param origins path → where a value came from other than the document (e.g. `ENV_LOG_LEVEL`). */
  constructor(origins: ReadonlyMap<string, string> = new Map()) {
    this.#origins = origins;
  }

  error(path: string, problem: string): void {
    this.errors.push(problemAt(ErrorCode.CONFIG_INVALID, `${this.#label(path)}: ${problem}`, path));
  }

  warning(path: string, problem: string): void {
    this.warnings.push(`${this.#label(path)}: ${problem}`);
  }

  /**
   * `problem` says what is wrong; the message adds that the entry is left out and `because` (why it is
   * left out rather than refused).
   */
  ignore(path: string, problem: string, because: string = IGNORED_AS_UPSTREAM): void {
    this.ignored.push(`${this.#label(path)}: ${problem}; this entry is ignored (${because})`);
  }

  /** `suggestion`: the known key the user probably meant, when there is one close enough. */
  unknownKey(path: string, suggestion?: string): void {
    const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
    this.warnings.push(`unknown key "${path}" is ignored${hint}`);
  }

  /**
   * Findings for a reader whose errors mean "leave this entry out" rather than "refuse to start": its
   * errors become this object's ignored entries, everything else is recorded here as usual.
   */
  ignoringErrors(): Findings {
    return new ErrorsIgnoredFindings(this);
  }

  #label(path: string): string {
    const origin = this.#origins.get(path);
    return origin === undefined ? path : `${path} (set by ${origin})`;
  }
}

class ErrorsIgnoredFindings extends Findings {
  readonly #parent: Findings;

  constructor(parent: Findings) {
    super();
    this.#parent = parent;
  }

  override error(path: string, problem: string): void {
    this.#parent.ignore(path, problem);
  }

  override warning(path: string, problem: string): void {
    this.#parent.warning(path, problem);
  }

  override ignore(path: string, problem: string, because?: string): void {
    this.#parent.ignore(path, problem, because);
  }

  override unknownKey(path: string, suggestion?: string): void {
    this.#parent.unknownKey(path, suggestion);
  }
}
