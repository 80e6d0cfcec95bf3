// The `admission.datakit/logfwd.instances` annotation (SPEC §7): parsed and validated before anything is
// injected, because logfwd exits on a config it cannot decode and a relative or unknown path cannot be
// shared. Every problem names its position and field; keys we do not know pass through untouched.
//
// Cost (SPEC §15): anyone who may create a Pod writes this annotation. The number of instances is checked
// right after parsing and the number of log paths before any path is checked, each against a per-pod limit;
// at most MAX_PROBLEMS_REPORTED problems are spelled out (the rest are counted) and long values are cut when
// quoted, so that a hostile annotation costs little and its warning stays short.

import { ErrorCode } from '../../errors/codes.ts';
import { problem, problemOf } from '../../errors/problem.ts';
import { err, ok, type Result } from '../../errors/result.ts';
import {
  ANNOTATION_INSTANCES,
  CHARACTER_ENCODINGS,
  MAX_INSTANCES_PER_POD,
  MAX_LOG_PATH_CHARACTERS_PER_POD,
  MAX_LOG_PATHS_PER_POD,
  MAX_PROBLEMS_REPORTED,
  MAX_QUOTED_CHARACTERS,
} from './constants.ts';
import { splitJsonArrayElements } from './json-text.ts';
import { ROOT_DIRECTORY, logDirectory } from './log-directories.ts';

export interface LogfwdInstance {
  /** The LOGFWD_JSON_CONFIG value for this instance's sidecar: a one-element array, as the user wrote it. */
  readonly jsonConfig: string;
  /** Every logfile pattern of every logging, in order. */
  readonly logfiles: readonly string[];
}

type JsonRecord = Record<string, unknown>;

/** Why a value does not fit, or undefined when it does. */
type FieldCheck = (value: unknown) => string | undefined;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A user's text as JSON, cut after MAX_QUOTED_CHARACTERS characters. */
function quote(text: string): string {
  if (text.length <= MAX_QUOTED_CHARACTERS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTED_CHARACTERS))}… (${text.length} characters)`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the boolean'} ${String(value)}`;
}

// Go's encoding/json decodes null into any field as "absent", so null is accepted for optional fields.
const optionalString: FieldCheck = (value) =>
  value === null || typeof value === 'string' ? undefined : `must be a string, got ${describe(value)}`;

const optionalBoolean: FieldCheck = (value) =>
  value === null || typeof value === 'boolean'
    ? undefined
    : `must be true or false (a JSON boolean), got ${describe(value)}`;

const optionalStringArray: FieldCheck = (value) =>
  value === null || (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    ? undefined
    : `must be an array of strings, got ${Array.isArray(value) ? 'an array holding a non-string' : describe(value)}`;

const optionalStringMap: FieldCheck = (value) =>
  value === null || (isRecord(value) && Object.values(value).every((item) => typeof item === 'string'))
    ? undefined
    : `must be an object of string values, e.g. {"key1":"value1"}, got ${isRecord(value) ? 'an object holding a non-string value' : describe(value)}`;

const characterEncoding: FieldCheck = (value) => {
  const typeProblem = optionalString(value);
  if (typeProblem !== undefined || value === null || value === '') return typeProblem;
  return CHARACTER_ENCODINGS.includes(value as string)
    ? undefined
    : `${quote(value as string)} is not one of ${CHARACTER_ENCODINGS.join(', ')} (or "" to read the files as they are)`;
};

/** The documented keys with a type logfwd decodes strictly; any other key passes through. */
const INSTANCE_FIELDS: Readonly<Record<string, FieldCheck>> = { datakit_addr: optionalString };

const LOGGING_FIELDS: Readonly<Record<string, FieldCheck>> = {
  ignore: optionalStringArray,
  source: optionalString,
  service: optionalString,
  pipeline: optionalString,
  storage_index: optionalString,
  character_encoding: characterEncoding,
  multiline_match: optionalString,
  remove_ansi_escape_codes: optionalBoolean,
  tags: optionalStringMap,
};

/** The problems found: the first MAX_PROBLEMS_REPORTED as they are, the others only counted. */
class Problems {
  private readonly reported: string[] = [];
  private unreported = 0;

  push(problem: string): void {
    if (this.reported.length < MAX_PROBLEMS_REPORTED) this.reported.push(problem);
    else this.unreported += 1;
  }

  get found(): boolean {
    return this.reported.length > 0;
  }

  /** The reported problems, then "… and N more problems" when some were only counted. */
  list(): string[] {
    if (this.unreported === 0) return [...this.reported];
    const more = `… and ${this.unreported} more problem${this.unreported === 1 ? '' : 's'}`;
    return [...this.reported, more];
  }
}

function checkKnownFields(
  record: JsonRecord,
  fields: Readonly<Record<string, FieldCheck>>,
  at: string,
  problems: Problems,
): void {
  for (const [key, check] of Object.entries(fields)) {
    if (!Object.hasOwn(record, key)) continue;
    const problem = check(record[key]);
    if (problem !== undefined) problems.push(`${at}.${key}: ${problem}`);
  }
}

function checkLogfile(logfile: unknown, at: string, problems: Problems): logfile is string {
  if (typeof logfile !== 'string') {
    problems.push(`${at}: must be a string, got ${describe(logfile)}`);
    return false;
  }
  if (!logfile.startsWith('/')) {
    problems.push(`${at}: ${quote(logfile)} is not an absolute path`);
    return false;
  }
  if (logDirectory(logfile) === ROOT_DIRECTORY) {
    problems.push(
      `${at}: ${quote(logfile)} lies directly in "/", which cannot be shared with the logfwd ` +
        `sidecar; write the logs into a directory such as /var/log/app`,
    );
    return false;
  }
  return true;
}

function checkLogging(logging: unknown, at: string, problems: Problems): string[] {
  if (!isRecord(logging)) {
    problems.push(`${at}: must be an object with "logfiles", got ${describe(logging)}`);
    return [];
  }
  const logfiles = logging.logfiles;
  const logfilesAt = `${at}.logfiles`;
  const valid: string[] = [];
  if (!Object.hasOwn(logging, 'logfiles')) {
    problems.push(
      `${logfilesAt}: is missing; list the absolute paths (globs allowed) of the files to collect`,
    );
  } else if (!Array.isArray(logfiles) || logfiles.length === 0) {
    problems.push(
      `${logfilesAt}: must be a non-empty array of absolute paths, got ${Array.isArray(logfiles) ? 'an empty array' : describe(logfiles)}`,
    );
  } else {
    logfiles.forEach((logfile: unknown, index) => {
      if (checkLogfile(logfile, `${logfilesAt}[${index}]`, problems)) valid.push(logfile);
    });
  }
  checkKnownFields(logging, LOGGING_FIELDS, at, problems);
  return valid;
}

function checkInstance(instance: unknown, at: string, problems: Problems): string[] {
  if (!isRecord(instance)) {
    problems.push(`${at}: must be an object with "datakit_addr" and "loggings", got ${describe(instance)}`);
    return [];
  }
  checkKnownFields(instance, INSTANCE_FIELDS, at, problems);
  const loggings = instance.loggings;
  if (!Object.hasOwn(instance, 'loggings')) {
    problems.push(`${at}.loggings: is missing; give an array of loggings, each with "logfiles"`);
    return [];
  }
  if (!Array.isArray(loggings) || loggings.length === 0) {
    problems.push(
      `${at}.loggings: must be a non-empty array of loggings, got ${Array.isArray(loggings) ? 'an empty array' : describe(loggings)}`,
    );
    return [];
  }
  return loggings.flatMap((logging: unknown, index) =>
    checkLogging(logging, `${at}.loggings[${index}]`, problems),
  );
}

function invalid(problems: readonly string[]): Result<never> {
  return err(
    problemOf(
      ErrorCode.ANNOTATION_INVALID,
      problems.join('; '),
      problems.map((message) => problem(ErrorCode.ANNOTATION_INVALID, message)),
    ),
  );
}

function limitExceeded(message: string): Result<never> {
  return err(problem(ErrorCode.LIMIT_EXCEEDED, message));
}

function arrayLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function stringLengths(value: unknown): number {
  if (!Array.isArray(value)) return 0;
  let total = 0;
  for (const item of value as unknown[]) if (typeof item === 'string') total += item.length;
  return total;
}

interface PathCount {
  /** The `logfiles` and `ignore` entries of every logging of every instance. */
  readonly paths: number;
  readonly loggings: number;
  /** Their characters together. */
  readonly characters: number;
}

/**
 * Counted by array lengths only (no path is looked at), so that the limit is checked before any path is.
 * Malformed parts count nothing here; the validation that follows reports them.
 */
function countLogPaths(instances: readonly unknown[]): PathCount {
  let paths = 0;
  let loggings = 0;
  let characters = 0;
  for (const instance of instances) {
    if (!isRecord(instance) || !Array.isArray(instance.loggings)) continue;
    loggings += instance.loggings.length;
    for (const logging of instance.loggings as unknown[]) {
      if (!isRecord(logging)) continue;
      paths += arrayLength(logging.logfiles) + arrayLength(logging.ignore);
      characters += stringLengths(logging.logfiles) + stringLengths(logging.ignore);
    }
  }
  return { paths, loggings, characters };
}

/** The path limit, checked before any path is; loggings count too, as each must list a logfile. */
function checkPathLimit(instances: readonly unknown[]): string | undefined {
  const { paths, loggings, characters } = countLogPaths(instances);
  if (paths > MAX_LOG_PATHS_PER_POD) {
    return (
      `the annotation ${ANNOTATION_INSTANCES} has ${paths} log paths ("logfiles" and "ignore" entries of ` +
      `all loggings together), more than the limit of ${MAX_LOG_PATHS_PER_POD} per pod`
    );
  }
  if (characters > MAX_LOG_PATH_CHARACTERS_PER_POD) {
    return (
      `the log paths of the annotation ${ANNOTATION_INSTANCES} have ${characters} characters together, ` +
      `more than the limit of ${MAX_LOG_PATH_CHARACTERS_PER_POD} per pod`
    );
  }
  if (loggings > MAX_LOG_PATHS_PER_POD) {
    return (
      `the annotation ${ANNOTATION_INSTANCES} has ${loggings} loggings, more than the limit of ` +
      `${MAX_LOG_PATHS_PER_POD} log paths per pod (each logging lists at least one logfile)`
    );
  }
  return undefined;
}

/**
 * The instances of the annotation, or the problems found (the annotation is then ignored as a whole):
 * ANNOTATION_INVALID with the first MAX_PROBLEMS_REPORTED problems, or LIMIT_EXCEEDED for more than
 * MAX_INSTANCES_PER_POD instances or MAX_LOG_PATHS_PER_POD log paths.
 */
/**
 * One LOGFWD_JSON_CONFIG for all the instances (the v2 rule's single sidecar): their texts as the user
 * wrote them, compacted, in one array — not a re-serialisation of the parsed value (see json-text.ts).
 */
export function joinedJsonConfig(instances: readonly LogfwdInstance[]): string {
  // Each jsonConfig is `[` + one element + `]`, built below.
  return `[${instances.map((instance) => instance.jsonConfig.slice(1, -1)).join(',')}]`;
}

export function parseLogfwdInstances(value: string): Result<LogfwdInstance[]> {
  if (value.trim() === '') {
    return invalid([
      `${ANNOTATION_INSTANCES}: is empty; give a JSON array of logfwd instances, or remove the annotation`,
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    return invalid([`${ANNOTATION_INSTANCES}: is not valid JSON (${reason})`]);
  }
  if (!Array.isArray(parsed)) {
    return invalid([`${ANNOTATION_INSTANCES}: must be a JSON array of instances, got ${describe(parsed)}`]);
  }
  if (parsed.length === 0) {
    return invalid([
      `${ANNOTATION_INSTANCES}: is an empty array; give at least one instance, or remove the annotation`,
    ]);
  }
  if (parsed.length > MAX_INSTANCES_PER_POD) {
    return limitExceeded(
      `the annotation ${ANNOTATION_INSTANCES} has ${parsed.length} instances, more than the limit of ` +
        `${MAX_INSTANCES_PER_POD} per pod`,
    );
  }
  const pathLimit = checkPathLimit(parsed);
  if (pathLimit !== undefined) return limitExceeded(pathLimit);
  const problems = new Problems();
  const logfiles = parsed.map((instance: unknown, index) =>
    checkInstance(instance, `${ANNOTATION_INSTANCES}[${index}]`, problems),
  );
  if (problems.found) return invalid(problems.list());
  const texts = splitJsonArrayElements(value);
  return ok(
    logfiles.map((files, index) => ({
      jsonConfig: `[${texts[index] ?? JSON.stringify(parsed[index])}]`,
      logfiles: files,
    })),
  );
}
