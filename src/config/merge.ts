// How a user's document combines with the built-in defaults (SPEC §2), before anything is validated.

import { STANDARD_RESOURCE_NAMES } from './quantity.ts';

export type JsonRecord = Record<string, unknown>;

export function isJsonRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets an own property, even for the key `__proto__` (which JSON.parse produces as an ordinary key, but which
 * a plain assignment would turn into a prototype change).
 */
function setOwn(record: JsonRecord, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The user's document over the defaults: objects merge key by key, while arrays and every `envs` object
 * replace the default as a whole — so a user can drop a default env by leaving it out of `envs`. Keys keep
 * the defaults' order, then the user's new keys in document order. The result shares nothing with either
 * input, so it may be edited (legacy env overrides) without touching the defaults.
 */
export function mergeConfigDocuments(defaults: unknown, document: unknown): unknown {
  return mergeValue(defaults, document, '');
}

const WHOLE_VALUE_KEYS = new Set(['envs']);

function mergeValue(base: unknown, over: unknown, key: string): unknown {
  if (over === undefined) return structuredClone(base);
  if (!isJsonRecord(base) || !isJsonRecord(over) || WHOLE_VALUE_KEYS.has(key)) return structuredClone(over);
  const merged: JsonRecord = {};
  for (const [k, v] of Object.entries(base)) setOwn(merged, k, mergeValue(v, over[k], k));
  for (const [k, v] of Object.entries(over)) {
    if (!Object.hasOwn(merged, k)) setOwn(merged, k, structuredClone(v));
  }
  return merged;
}

/**
 * Sections whose own keys are map keys, matched exactly: upstream decoded them into Go maps (`images`,
 * `options`) or kept them as written (`envs` names are case-sensitive in a container). Every other object
 * of the defaults is a Go struct upstream, whose fields Go's JSON decoder matches case-insensitively.
 */
const MAP_SECTIONS = new Set(['images', 'options', 'envs', 'resources']);

/** Where keys are matched case-insensitively, because existing ConfigMaps spell them `Namespace` etc. */
const FEATURES_WITH_RULES = ['ddtrace', 'profiler'];
const RULE_LISTS = ['enabled_namespaces', 'enabled_labelselectors'];
const FEATURES_WITH_RESOURCES = ['ddtrace', 'logfwd', 'profiler'];
/** Lists of rules that upstream decoded into Go structs (every field name of theirs is lower case). */
const V2_RULE_LISTS: readonly (readonly [section: string, list: string])[] = [
  ['admission_inject_v2', 'ddtraces'],
  ['admission_inject_v2', 'logfwds'],
  ['admission_inject_v2', 'flameshots'],
  ['admission_inject_v2', 'profilers'],
  ['admission_inject_v2', 'otels'],
  ['admission_mutate', 'loggings'],
];

type OnCollision = (path: readonly (string | number)[], spellings: readonly string[]) => void;

/**
 * A copy of the user's document with the case-insensitive keys spelled as the schema spells them: every key
 * of a section the defaults have (`Log_Level`, `Admission_Inject`, `DDTrace`, `Images` — as Go's decoder
 * matched them upstream), the keys of every rule entry (`enabled_namespaces` / `enabled_labelselectors`
 * and the v2 lists), the keys of `resources` (`Requests`, `Limits`) and the standard resource names inside
 * them (`CPU`, `Memory`). When two spellings of one key meet, the last one wins, as in JSON and in Go;
 * `onCollision` hears about it so the user can be warned.
 */
export function normalizeCaseInsensitiveKeys(
  document: JsonRecord,
  defaults: JsonRecord,
  onCollision: OnCollision,
): JsonRecord {
  const copy = matchSectionKeys(document, defaults, [], onCollision);
  const admission = copy['admission_inject'];
  if (isJsonRecord(admission)) {
    for (const feature of FEATURES_WITH_RULES) {
      for (const list of RULE_LISTS)
        lowerRuleEntries(admission[feature], list, ['admission_inject', feature], onCollision);
    }
    for (const feature of FEATURES_WITH_RESOURCES) {
      const section = admission[feature];
      if (isJsonRecord(section)) lowerResources(section, ['admission_inject', feature], onCollision);
    }
  }
  for (const [section, list] of V2_RULE_LISTS) {
    const entries = lowerRuleEntries(copy[section], list, [section], onCollision);
    for (const [i, entry] of entries.entries()) {
      if (isJsonRecord(entry)) lowerResources(entry, [section, list, i], onCollision);
    }
  }
  return copy;
}

/** Lower-cases the keys of each entry of `section[list]` in place; the entries, or [] when there is no list. */
function lowerRuleEntries(
  section: unknown,
  list: string,
  path: readonly (string | number)[],
  onCollision: OnCollision,
): readonly unknown[] {
  if (!isJsonRecord(section)) return [];
  const entries = section[list];
  if (!Array.isArray(entries)) return [];
  const lowered = entries.map((entry: unknown, i) =>
    isJsonRecord(entry)
      ? lowerCaseKeys(
          entry,
          () => true,
          (s) => onCollision([...path, list, i], s),
        )
      : entry,
  );
  section[list] = lowered;
  return lowered;
}

/** `owner.resources` with its kinds lower-cased and the standard resource names inside them, in place. */
function lowerResources(
  owner: JsonRecord,
  ownerPath: readonly (string | number)[],
  onCollision: OnCollision,
): void {
  if (!isJsonRecord(owner['resources'])) return;
  const path = [...ownerPath, 'resources'];
  const resources = lowerCaseKeys(
    owner['resources'],
    () => true,
    (s) => onCollision(path, s),
  );
  for (const [kind, amounts] of Object.entries(resources)) {
    if (!isJsonRecord(amounts)) continue;
    const onAmountCollision = (s: readonly string[]): void => onCollision([...path, kind], s);
    setOwn(resources, kind, lowerCaseKeys(amounts, isStandardResourceName, onAmountCollision));
  }
  owner['resources'] = resources;
}

/** The record with each key that equals a key of `defaults` but for case renamed to the defaults' spelling. */
function matchSectionKeys(
  record: JsonRecord,
  defaults: JsonRecord,
  path: readonly string[],
  onCollision: OnCollision,
): JsonRecord {
  const known = new Map(Object.keys(defaults).map((key) => [key.toLowerCase(), key]));
  const spelled = lowerCaseKeys(
    record,
    (key) => known.has(key.toLowerCase()),
    (spellings) => onCollision(path, spellings),
  );
  const result: JsonRecord = {};
  for (const [key, value] of Object.entries(spelled)) {
    const name = known.get(key) ?? key;
    const shape = defaults[name];
    const child =
      isJsonRecord(value) && isJsonRecord(shape) && !MAP_SECTIONS.has(name)
        ? matchSectionKeys(value, shape, [...path, name], onCollision)
        : structuredClone(value);
    setOwn(result, name, child);
  }
  return result;
}

function isStandardResourceName(key: string): boolean {
  return (STANDARD_RESOURCE_NAMES as readonly string[]).includes(key.toLowerCase());
}

function lowerCaseKeys(
  record: JsonRecord,
  applies: (key: string) => boolean,
  onCollision: (spellings: readonly string[]) => void,
): JsonRecord {
  const result: JsonRecord = {};
  const spellings = new Map<string, string[]>();
  for (const [key, value] of Object.entries(record)) {
    const normalized = applies(key) ? key.toLowerCase() : key;
    const seen = spellings.get(normalized) ?? [];
    spellings.set(normalized, [...seen, key]);
    setOwn(result, normalized, value);
  }
  for (const keys of spellings.values()) if (keys.length > 1) onCollision(keys);
  return result;
}

/** One value set on top of the merged document, with the source to name in messages (e.g. an env var). */
export interface ConfigOverride {
  readonly path: readonly string[];
  readonly value: string;
  readonly source: string;
}

/**
 * Sets each override in place. An existing key keeps its position (an env overridden in `envs` stays where
 * the user put it); a missing last key is appended. When the parent is not an object the override is
 * skipped: validation reports that parent's wrong type anyway.
 */
export function applyConfigOverrides(document: JsonRecord, overrides: readonly ConfigOverride[]): void {
  for (const { path, value } of overrides) {
    const parentPath = path.slice(0, -1);
    const last = path.at(-1);
    let parent: unknown = document;
    for (const key of parentPath) parent = isJsonRecord(parent) ? parent[key] : undefined;
    if (last !== undefined && isJsonRecord(parent)) setOwn(parent, last, value);
  }
}
