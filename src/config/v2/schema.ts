// Reading `admission_inject_v2` (reference §1): every rule of every list is checked field by field, each
// problem naming its full key path — where upstream stops the whole operator on one wrong JSON type, or
// drops a bad selector and then matches more than the user wrote. After reading:
// - a v1 section that upstream counts as valid replaces the v2 list of that feature (§1.7), with a warning;
// - a rule that an earlier rule always takes precedence over is reported (it can never be chosen);
// - lists whose injector this operator does not have yet are reported as not supported;
// - an `otels` rule whose language is not one of the three is left out, loudly (upstream found it only at
//   admission, after it had chosen the rule and so kept every later rule from applying: defect O3).

import { posix } from 'node:path';
import { err, type Result } from '../../errors/result.ts';
import { compileNamespacePattern, EVERY_NAMESPACE } from '../../matching/namespace-pattern.ts';
import { parseLabelSelector, type LabelSelector } from '../../matching/selectors.ts';
import type { NamespacePattern } from '../../matching/namespace-pattern.ts';
import { describeRule, findShadowedRules, hasSelectors, type V2RuleTarget } from '../../matching/v2-rules.ts';
import type { ConfiguredEnv, ResourceRequirements } from '../../podspec/types.ts';
import { childPath, describeValue, type Findings } from '../findings.ts';
import {
  openSection,
  readArray,
  readBoolean,
  readOneOf,
  readRecord,
  readString,
  type Section,
} from '../field-readers.ts';
import { readImagePullPolicy, V2_DEFAULT_IMAGE_PULL_POLICY } from '../image-pull-policy.ts';
import { readLogEntries } from './log-entries.ts';
import { isJsonRecord, type JsonRecord } from '../merge.ts';
import { readEnvs, readImage, readResources } from '../container-settings.ts';
import { PROFILER_LANGUAGES } from '../types.ts';
import type {
  DdtraceV2Rule,
  FlameshotV2Rule,
  LogfwdV2Rule,
  OtelLanguage,
  OtelV2Rule,
  PhpLoaderFlavor,
  ProfilerV2Rule,
  V1OverridableList,
  V2Config,
  V2ContainerSettings,
  V2DdtraceLanguage,
} from './types.ts';

export const V2_SECTION = 'admission_inject_v2';
/** Top-level keys this module reads (for the root's list of known keys). */
export const V2_TOP_LEVEL_KEYS: readonly string[] = [V2_SECTION, 'admission_mutate'];
const V1_SECTION = 'admission_inject';

export const V2_DDTRACE_LANGUAGES: readonly V2DdtraceLanguage[] = ['java', 'python', 'php', 'nodejs'];
export const OTEL_LANGUAGES: readonly OtelLanguage[] = ['java', 'python', 'nodejs'];
export const PHP_LOADER_FLAVORS: readonly PhpLoaderFlavor[] = ['linux-gnu', 'linux-musl'];

/** Upstream's resources of a rule that sets none (reference §1.3). */
export const V2_DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: '100m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};

const V2_LISTS = ['ddtraces', 'logfwds', 'flameshots', 'profilers', 'otels'] as const;
type V2ListName = (typeof V2_LISTS)[number];

/** The v1 section whose validity decides the list (reference §1.7). */
const V1_SECTION_OF: Readonly<Record<V1OverridableList, string>> = {
  ddtraces: 'ddtrace',
  logfwds: 'logfwd',
  profilers: 'profiler',
};

const COMMON_KEYS = [
  'name',
  'namespace_selectors',
  'label_selectors',
  'image',
  'image_pull_policy',
  'envs',
  'resources',
];

/** Each list's own keys (as upstream 1.9.x: a key of another list is unknown there). */
const LIST_KEYS: Readonly<Record<V2ListName, readonly string[]>> = {
  ddtraces: [...COMMON_KEYS, 'check_annotation', 'language', 'php_loader_flavor'],
  logfwds: [...COMMON_KEYS, 'check_annotation', 'log_configs', 'log_volume_paths'],
  flameshots: [...COMMON_KEYS, 'processes', 'enable_prometheus_annotations'],
  profilers: [...COMMON_KEYS, 'check_annotation', 'language'],
  otels: [...COMMON_KEYS, 'check_annotation', 'language'],
};

/** The lists this operator validates but does not inject from yet, and what to say about them. */
const NOT_SUPPORTED: Partial<Readonly<Record<V2ListName, string>>> = {
  profilers: 'v2 profiler rules are not supported yet; use admission_inject.profiler',
};

export function readV2Config(findings: Findings, merged: JsonRecord, userDocument: JsonRecord): V2Config {
  const empty: V2Config = {
    ddtraces: [],
    logfwds: [],
    flameshots: [],
    profilers: [],
    otels: [],
    overridden_by_v1: [],
  };
  if (!Object.hasOwn(merged, V2_SECTION)) return empty;
  const section = openSection(findings, merged[V2_SECTION], V2_SECTION, V2_LISTS);
  const read = {
    ddtraces: readList(section, 'ddtraces', readDdtraceRule),
    logfwds: readList(section, 'logfwds', readLogfwdRule),
    flameshots: readList(section, 'flameshots', readFlameshotRule),
    profilers: readList(section, 'profilers', readProfilerRule),
    otels: readList(section, 'otels', readOtelRule),
  };
  const overridden = applyV1Precedence(findings, read, userDocument);
  const config: V2Config = {
    ddtraces: overridden.includes('ddtraces') ? [] : read.ddtraces,
    logfwds: overridden.includes('logfwds') ? [] : read.logfwds,
    flameshots: read.flameshots,
    profilers: overridden.includes('profilers') ? [] : read.profilers,
    otels: read.otels,
    overridden_by_v1: overridden,
  };
  for (const list of V2_LISTS) {
    const rules = config[list];
    const notSupported = NOT_SUPPORTED[list];
    if (rules.length > 0 && notSupported !== undefined) {
      const count = `${rules.length} ${rules.length === 1 ? 'rule is' : 'rules are'} ignored`;
      findings.warning(childPath(V2_SECTION, list), `${notSupported}: its ${count}`);
    }
  }
  reportShadowedAnnotatedRules(findings, config.ddtraces, 'admission.datakit/<language>-lib.version');
  reportShadowedAnnotatedRules(findings, config.otels, 'admission.datakit/otel-<language>-lib.version');
  reportShadowedFirstMatchRules(findings, config.flameshots);
  reportShadowedFirstMatchRules(findings, config.logfwds);
  return config;
}

// ---- one list and its rules

/** Undefined: the rule is left out of the list (the reader has said why). */
type RuleReader<R> = (rule: Section, target: V2RuleTarget) => R | undefined;

function readList<R>(section: Section, list: V2ListName, readRule: RuleReader<R>): R[] {
  if (!Object.hasOwn(section.record, list)) return [];
  const path = childPath(section.path, list);
  const entries = readArray(section.findings, section.record[list], path) ?? [];
  const rules: R[] = [];
  for (const [index, raw] of entries.entries()) {
    const rulePath = childPath(path, index);
    const record = readRecord(section.findings, raw, rulePath, LIST_KEYS[list]);
    if (record === undefined) continue;
    const rule = openSection(section.findings, record, rulePath);
    const target = readRuleTarget(rule);
    if (!hasSelectors(target)) {
      rule.findings.warning(
        rulePath,
        'has neither namespace_selectors nor label_selectors, so it never matches; add one (["*"] is every namespace)',
      );
    }
    const read = readRule(rule, target);
    if (read !== undefined) rules.push(read);
  }
  return rules;
}

/** The selectors and name of any rule (also `admission_mutate.loggings`). */
export function readRuleTarget(rule: Section): V2RuleTarget {
  return {
    path: rule.path,
    name: optional(rule, 'name', readString) ?? '',
    namespace_selectors: optional(rule, 'namespace_selectors', readNamespaceSelectors) ?? [],
    label_selectors: optional(rule, 'label_selectors', readLabelSelectors) ?? [],
  };
}

/** Reads `key` only when present: v2 keys are all optional, as in upstream. */
function optional<T>(
  rule: Section,
  key: string,
  reader: (f: Findings, v: unknown, p: string) => T,
): T | undefined {
  if (!Object.hasOwn(rule.record, key) || rule.record[key] === null) return undefined;
  return rule.read(key, reader);
}

function readNamespaceSelectors(findings: Findings, value: unknown, path: string): NamespacePattern[] {
  return readCompiledList(findings, value, path, (text) =>
    text.trim() === ''
      ? err(`must not be blank; use "${EVERY_NAMESPACE}" for every namespace`)
      : compileNamespacePattern(text),
  );
}

function readLabelSelectors(findings: Findings, value: unknown, path: string): LabelSelector[] {
  return readCompiledList(findings, value, path, (text) =>
    text.trim() === ''
      ? err(
          'must not be blank (upstream ignores a blank selector); to choose pods by namespace only, leave label_selectors empty',
        )
      : parseLabelSelector(text),
  );
}

function readCompiledList<T>(
  findings: Findings,
  value: unknown,
  path: string,
  compile: (text: string) => Result<T, string>,
): T[] {
  const entries = readArray(findings, value, path) ?? [];
  const result: T[] = [];
  for (const [i, raw] of entries.entries()) {
    const entryPath = childPath(path, i);
    const text = readString(findings, raw, entryPath);
    if (text === undefined) continue;
    const compiled = compile(text);
    if (compiled.ok) result.push(compiled.value);
    else findings.error(entryPath, compiled.error);
  }
  return result;
}

function readSettings(rule: Section, imageRequired: boolean): V2ContainerSettings {
  const image = optional(rule, 'image', readImage);
  if (image === undefined && imageRequired) {
    rule.findings.error(
      childPath(rule.path, 'image'),
      'is required: a v2 rule has no built-in image (see `datakit-operator config default --v2`)',
    );
  }
  const resources = optional(rule, 'resources', readResources);
  const hasQuantity =
    resources !== undefined &&
    [resources.requests, resources.limits].some((r) => isJsonRecord(r) && Object.keys(r).length > 0);
  return {
    image: image ?? '',
    image_pull_policy: readImagePullPolicy(
      rule.findings,
      rule.record['image_pull_policy'],
      childPath(rule.path, 'image_pull_policy'),
      V2_DEFAULT_IMAGE_PULL_POLICY,
    ),
    envs: optional(rule, 'envs', readEnvs) ?? [],
    resources: hasQuantity ? resources : V2_DEFAULT_RESOURCES,
  };
}

function readCheckAnnotation(rule: Section): boolean {
  return optional(rule, 'check_annotation', readBoolean) ?? false;
}

function readDdtraceRule(rule: Section, target: V2RuleTarget): DdtraceV2Rule {
  const languagePath = childPath(rule.path, 'language');
  let language: V2DdtraceLanguage | undefined;
  if (Object.hasOwn(rule.record, 'language')) {
    language = readDdtraceLanguage(rule.findings, rule.record['language'], languagePath);
  } else {
    rule.findings.error(languagePath, `is required (${V2_DDTRACE_LANGUAGES.join(', ')})`);
  }
  const flavorPath = childPath(rule.path, 'php_loader_flavor');
  const flavorSet =
    Object.hasOwn(rule.record, 'php_loader_flavor') && rule.record['php_loader_flavor'] !== '';
  let flavor: PhpLoaderFlavor | undefined;
  if (flavorSet) {
    flavor = readOneOf(rule.findings, rule.record['php_loader_flavor'], flavorPath, PHP_LOADER_FLAVORS);
    if (language !== undefined && language !== 'php') {
      rule.findings.warning(flavorPath, `is only used by php rules; this rule's language is ${language}`);
    }
  }
  return {
    ...target,
    ...readSettings(rule, true),
    check_annotation: readCheckAnnotation(rule),
    language: language ?? 'java',
    php_loader_flavor: flavor ?? 'linux-gnu',
  };
}

function readDdtraceLanguage(
  findings: Findings,
  value: unknown,
  path: string,
): V2DdtraceLanguage | undefined {
  if (value === 'js') {
    findings.error(path, '"js" is not a v2 language (upstream ignores such a rule); use "nodejs"');
    return undefined;
  }
  return readOneOf(findings, value, path, V2_DDTRACE_LANGUAGES);
}

function readLogfwdRule(rule: Section, target: V2RuleTarget): LogfwdV2Rule {
  const logConfigs = optional(rule, 'log_configs', readLogConfigs);
  return {
    ...target,
    ...readSettings(rule, true),
    check_annotation: readCheckAnnotation(rule),
    log_configs: logConfigs?.text ?? '',
    log_config_paths: logConfigs?.filePaths ?? [],
    log_volume_paths: optional(rule, 'log_volume_paths', readAbsolutePaths) ?? [],
  };
}

/** A string holding a JSON array of objects, as upstream takes it: kept compacted, with its file paths. */
function readLogConfigs(
  findings: Findings,
  value: unknown,
  path: string,
): { text: string; filePaths: string[] } {
  const none = { text: '', filePaths: [] };
  const text = readString(findings, value, path);
  if (text === undefined || text.trim() === '') return none;
  const entries = readLogEntries(findings, text, path, {
    purpose: '',
    example: '"[{\\"type\\":\\"file\\",\\"path\\":\\"/var/log/app/*.log\\"}]"',
  });
  if (entries === undefined) return none;
  // Upstream mounts every entry's path, even disabled or non-file ones, and a relative one at `.`; this
  // operator shares only the directories of enabled file entries, so those must be absolute.
  const filePaths: string[] = [];
  for (const { index, path: filePath } of entries.files) {
    if (typeof filePath !== 'string' || !filePath.startsWith('/') || filePath.trim() === '/') {
      findings.error(
        path,
        `entry ${index}: a file entry needs an absolute "path" below "/", got ${describeValue(filePath)}`,
      );
      continue;
    }
    filePaths.push(filePath);
  }
  return { text: entries.compacted, filePaths };
}

function readAbsolutePaths(findings: Findings, value: unknown, path: string): string[] {
  const entries = readArray(findings, value, path) ?? [];
  const result: string[] = [];
  for (const [i, raw] of entries.entries()) {
    const entryPath = childPath(path, i);
    const text = readString(findings, raw, entryPath);
    if (text === undefined) continue;
    if (!text.startsWith('/') || text === '/') {
      findings.error(entryPath, `${describeValue(text)} is not an absolute directory other than "/"`);
      continue;
    }
    result.push(text);
  }
  return result;
}

export const FLAMESHOT_ENV_PROFILING_PATH = 'FLAMESHOT_PROFILING_PATH';
export const FLAMESHOT_ENV_PORT = 'FLAMESHOT_HTTP_LOCAL_PORT';
export const FLAMESHOT_ENV_PROCESSES = 'FLAMESHOT_PROCESSES';
const MAX_PORT = 65535;

/** `processes` becomes the env FLAMESHOT_PROCESSES, set in place (or appended: upstream 1.8.10 adds a second one). */
function withProcesses(envs: readonly ConfiguredEnv[], processes: string): readonly ConfiguredEnv[] {
  const env = { name: FLAMESHOT_ENV_PROCESSES, value: processes };
  return envs.some((e) => e.name === FLAMESHOT_ENV_PROCESSES)
    ? envs.map((e) => (e.name === FLAMESHOT_ENV_PROCESSES ? env : e))
    : [...envs, env];
}

function readFlameshotRule(rule: Section, target: V2RuleTarget): FlameshotV2Rule {
  const settings = readSettings(rule, true);
  const processes = optional(rule, 'processes', readString) ?? '';
  const envsPath = childPath(rule.path, 'envs');
  const never = 'so this rule never injects (as upstream)';
  if (processes.trim() === '') {
    rule.findings.warning(
      childPath(rule.path, 'processes'),
      `is empty, ${never}; name the processes to profile`,
    );
  }
  const pathEnv = settings.envs.find((env) => env.name === FLAMESHOT_ENV_PROFILING_PATH);
  let profilingPath: string | undefined;
  if (pathEnv === undefined) {
    rule.findings.warning(envsPath, `has no ${FLAMESHOT_ENV_PROFILING_PATH}, ${never}`);
  } else {
    const cleaned = posix.normalize(pathEnv.value).replace(/(.)\/+$/, '$1');
    if (!pathEnv.value.startsWith('/') || cleaned === '/') {
      rule.findings.error(
        childPath(envsPath, FLAMESHOT_ENV_PROFILING_PATH),
        `${describeValue(pathEnv.value)} is not an absolute directory other than "/" (it is mounted in every app container)`,
      );
    } else {
      profilingPath = cleaned;
    }
  }
  const portEnv = settings.envs.find((env) => env.name === FLAMESHOT_ENV_PORT);
  let port: number | undefined;
  if (portEnv === undefined) {
    rule.findings.warning(envsPath, `has no ${FLAMESHOT_ENV_PORT}, ${never}`);
  } else if (
    !/^[0-9]+$/.test(portEnv.value) ||
    Number(portEnv.value) < 1 ||
    Number(portEnv.value) > MAX_PORT
  ) {
    rule.findings.error(
      childPath(envsPath, FLAMESHOT_ENV_PORT),
      `${describeValue(portEnv.value)} is not a port number (1 to ${MAX_PORT})`,
    );
  } else {
    port = Number(portEnv.value);
  }
  return {
    ...target,
    ...settings,
    processes,
    sidecar_envs: withProcesses(settings.envs, processes),
    enable_prometheus_annotations: optional(rule, 'enable_prometheus_annotations', readBoolean) ?? false,
    profiling_path: profilingPath,
    port,
  };
}

function readProfilerRule(rule: Section, target: V2RuleTarget): ProfilerV2Rule {
  const language = optional(rule, 'language', (findings, value, path) =>
    value === '' ? undefined : readOneOf(findings, value, path, PROFILER_LANGUAGES),
  );
  return { ...target, ...readSettings(rule, true), check_annotation: readCheckAnnotation(rule), language };
}

const OTEL_RULE_LEFT_OUT =
  'the Go operator chose such a rule for a pod and then injected nothing, which also kept every later rule from applying';

/**
 * An `otels` rule. A language that is missing or not exactly `java`, `python` or `nodejs` leaves the rule
 * out of the list (counted in datakit_operator_config_ignored_entries, fatal to `config validate`), so
 * the later rules still apply; a language that is not a string failed upstream's JSON decoding and is
 * refused, as every wrong type is.
 */
function readOtelRule(rule: Section, target: V2RuleTarget): OtelV2Rule | undefined {
  // Upstream loads a rule without an image and skips it at admission (`validateCommonInjection`): such
  // a config must start here too (SPEC §12.1), without the rule.
  const image = rule.record['image'];
  if (image === undefined || image === null || (typeof image === 'string' && image.trim() === '')) {
    rule.findings.ignore(
      childPath(rule.path, 'image'),
      'is required: the image of the OpenTelemetry agent to copy into the pod',
      OTEL_RULE_LEFT_OUT,
    );
    return undefined;
  }
  const settings = readSettings(rule, true);
  const check_annotation = readCheckAnnotation(rule);
  const languagePath = childPath(rule.path, 'language');
  const expected = `one of ${OTEL_LANGUAGES.join(', ')} (case-sensitive, no aliases)`;
  const value = rule.record['language'];
  if (value === undefined || value === null || value === '') {
    rule.findings.ignore(languagePath, `is required: ${expected}`, OTEL_RULE_LEFT_OUT);
    return undefined;
  }
  if (typeof value !== 'string') {
    rule.findings.error(languagePath, `${describeValue(value)} is not a string: write ${expected}`);
    return undefined;
  }
  const language = OTEL_LANGUAGES.find((candidate) => candidate === value);
  if (language === undefined) {
    rule.findings.ignore(languagePath, `${describeValue(value)} is not ${expected}`, OTEL_RULE_LEFT_OUT);
    return undefined;
  }
  return { ...target, ...settings, check_annotation, language };
}

// ---- v1 / v2 precedence (reference §1.7)

/** Upstream counts a v1 section as set when its `images` or its `envs` object is non-empty. */
function v1SectionIsSet(userDocument: JsonRecord, feature: string): boolean {
  const v1 = userDocument[V1_SECTION];
  if (!isJsonRecord(v1)) return false;
  const section = v1[feature];
  if (!isJsonRecord(section)) return false;
  const nonEmpty = (value: unknown): boolean => isJsonRecord(value) && Object.keys(value).length > 0;
  return nonEmpty(section['images']) || nonEmpty(section['envs']);
}

function applyV1Precedence(
  findings: Findings,
  read: Readonly<Record<V1OverridableList, readonly unknown[]>>,
  userDocument: JsonRecord,
): V1OverridableList[] {
  const overridden: V1OverridableList[] = [];
  for (const list of ['ddtraces', 'logfwds', 'profilers'] as const) {
    const rules = read[list];
    if (rules.length === 0) continue;
    const feature = V1_SECTION_OF[list];
    const v1Path = childPath(V1_SECTION, feature);
    const v2Path = childPath(V2_SECTION, list);
    if (v1SectionIsSet(userDocument, feature)) {
      overridden.push(list);
      findings.warning(
        v2Path,
        `its ${rules.length} ${rules.length === 1 ? 'rule is' : 'rules are'} ignored because ${v1Path} sets ` +
          'images or envs, and a v1 section takes precedence for its feature (as in upstream); ' +
          `move the settings into v2 rules and remove ${v1Path}, or remove ${v2Path}`,
      );
    } else if (userSetsV1Selectors(userDocument, feature)) {
      findings.warning(
        v1Path,
        `its enabled_namespaces and enabled_labelselectors are ignored because ${v2Path} is set and ` +
          `${v1Path} sets neither images nor envs (as in upstream); write them as v2 rules`,
      );
    }
  }
  return overridden;
}

function userSetsV1Selectors(userDocument: JsonRecord, feature: string): boolean {
  const v1 = userDocument[V1_SECTION];
  const section = isJsonRecord(v1) ? v1[feature] : undefined;
  if (!isJsonRecord(section)) return false;
  return ['enabled_namespaces', 'enabled_labelselectors'].some(
    (key) => Array.isArray(section[key]) && (section[key] as unknown[]).length > 0,
  );
}

// ---- rules that can never be chosen

/** `annotationPattern`: the version annotation with `<language>` in it, for the message. */
function reportShadowedAnnotatedRules(
  findings: Findings,
  rules: readonly (DdtraceV2Rule | OtelV2Rule)[],
  annotationPattern: string,
): void {
  // Whenever both match, the earlier rule wins if it needs no annotation, or needs the same one.
  const shadows = findShadowedRules(
    rules,
    (earlier, later) =>
      !earlier.check_annotation || (later.check_annotation && earlier.language === later.language),
  );
  for (const { shadowed, by } of shadows) {
    const earlier = rules[by];
    const later = rules[shadowed];
    if (earlier === undefined || later === undefined) continue;
    const because = earlier.check_annotation
      ? `needs the same annotation ${annotationPattern.replace('<language>', earlier.language)}`
      : 'has check_annotation: false';
    findings.warning(
      later.path,
      `can never be chosen: the earlier rule ${describeRule(earlier)} matches every pod this rule matches and ` +
        `${because}; reorder the rules, narrow the earlier one, or set check_annotation: true on it`,
    );
  }
}

/** In a first-match list the earlier matching rule is always the one chosen. */
function reportShadowedFirstMatchRules(findings: Findings, rules: readonly V2RuleTarget[]): void {
  for (const { shadowed, by } of findShadowedRules(rules, () => true)) {
    const earlier = rules[by];
    const later = rules[shadowed];
    if (earlier === undefined || later === undefined) continue;
    findings.warning(
      later.path,
      `can never be chosen: the earlier rule ${describeRule(earlier)} matches every pod this rule matches, ` +
        'and the first matching rule is used; reorder the rules or narrow the earlier one',
    );
  }
}
