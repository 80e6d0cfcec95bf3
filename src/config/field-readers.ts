// Small readers for one field each: they check a value's type and allowed values, record a problem that
// names the field when it is wrong, and return the value (or undefined) so the caller can carry on and find
// the next problem.

import { parseGoBool } from '../podspec/annotations.ts';
import { Findings, childPath, describeValue } from './findings.ts';
import { isJsonRecord, type JsonRecord } from './merge.ts';
import { nearestWord } from '../text/edit-distance.ts';

/**
 * A typo of a key is a few edits away (`enabled_namespace`, `imgaes`): one edit per three letters, at most
 * three; further than that it is another word, and a suggestion would mislead.
 */
const MAX_KEY_SUGGESTION_DISTANCE = 3;
const LETTERS_PER_EDIT = 3;
const MAX_SUGGESTED_KEY_LENGTH = 100;

/** The object at `path`; its keys outside `knownKeys` are reported as ignored. */
export function readRecord(
  findings: Findings,
  value: unknown,
  path: string,
  knownKeys?: readonly string[],
): JsonRecord | undefined {
  if (!isJsonRecord(value)) {
    findings.error(path, `expected an object, got ${describeValue(value)}`);
    return undefined;
  }
  if (knownKeys !== undefined) {
    for (const key of Object.keys(value)) {
      if (knownKeys.includes(key)) continue;
      const limit = Math.max(
        1,
        Math.min(MAX_KEY_SUGGESTION_DISTANCE, Math.floor(key.length / LETTERS_PER_EDIT)),
      );
      const suggestion = nearestWord(key.toLowerCase(), knownKeys, limit, MAX_SUGGESTED_KEY_LENGTH);
      findings.unknownKey(
        childPath(path, key),
        suggestion === undefined ? undefined : childPath(path, suggestion),
      );
    }
  }
  return value;
}

export function readArray(findings: Findings, value: unknown, path: string): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  findings.error(path, `expected an array, got ${describeValue(value)}`);
  return undefined;
}

export function readString(findings: Findings, value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value;
  findings.error(path, `expected a string, got ${describeValue(value)}`);
  return undefined;
}

export function readNonEmptyString(findings: Findings, value: unknown, path: string): string | undefined {
  const text = readString(findings, value, path);
  if (text !== '') return text;
  findings.error(path, 'must not be empty');
  return undefined;
}

/** One of `allowed`, or an alias of one (`js` → `nodejs`), which is returned normalised. */
export function readOneOf<T extends string>(
  findings: Findings,
  value: unknown,
  path: string,
  allowed: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): T | undefined {
  const text = readString(findings, value, path);
  if (text === undefined) return undefined;
  const found = allowed.find((candidate) => candidate === text);
  if (found !== undefined) return found;
  if (Object.hasOwn(aliases, text)) return aliases[text];
  findings.error(path, `${describeValue(text)} is not one of ${allowed.join(', ')}`);
  return undefined;
}

export function readPositiveInteger(findings: Findings, value: unknown, path: string): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  findings.error(path, `${describeValue(value)} is not a positive integer`);
  return undefined;
}

/**
 * A JSON boolean or its string form (`"true"` / `"false"`), as the manual writes boolean options. Strings are
 * read with Go's strconv.ParseBool, as the upstream operator did, so existing ConfigMaps keep working.
 */
export function readBoolean(findings: Findings, value: unknown, path: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const parsed = typeof value === 'string' ? parseGoBool(value) : undefined;
  if (parsed !== undefined) return parsed;
  findings.error(
    path,
    `expected true or false (a JSON boolean or the string "true"/"false"), got ${describeValue(value)}`,
  );
  return undefined;
}

/** A string the `isValid` predicate accepts; otherwise `"<value>" is not <what>`. */
export function readMatching(
  findings: Findings,
  value: unknown,
  path: string,
  isValid: (text: string) => boolean,
  what: string,
): string | undefined {
  const text = readString(findings, value, path);
  if (text === undefined) return undefined;
  if (isValid(text)) return text;
  findings.error(path, `${describeValue(text)} is not ${what}`);
  return undefined;
}

/** A reader of one field: records its problems under `path` and returns the value it could read. */
export type FieldReader<T> = (findings: Findings, value: unknown, path: string) => T;

/** A JSON object being read: its fields, its path, and where problems with its fields are recorded. */
export class Section {
  readonly findings: Findings;
  readonly record: JsonRecord;
  readonly path: string;

  constructor(findings: Findings, record: JsonRecord, path: string) {
    this.findings = findings;
    this.record = record;
    this.path = path;
  }

  /** Reads the field `key` with `reader`, which sees the field's full path. */
  read<T>(key: string, reader: FieldReader<T>): T {
    return reader(this.findings, this.record[key], childPath(this.path, key));
  }

  /** The object under `key`, as a section of its own. */
  section(key: string, knownKeys?: readonly string[]): Section {
    return openSection(this.findings, this.record[key], childPath(this.path, key), knownKeys);
  }
}

/**
 * The object at `path` as a section. When it is not an object, that is the one problem recorded: its
 * fields are then read into a throwaway record of problems, so one wrong type does not also report every
 * field under it as missing.
 */
export function openSection(
  findings: Findings,
  value: unknown,
  path: string,
  knownKeys?: readonly string[],
): Section {
  const record = readRecord(findings, value, path, knownKeys);
  return record === undefined ? new Section(new Findings(), {}, path) : new Section(findings, record, path);
}
