// The one config schema (SPEC §2): the user's document is merged over the defaults, validated field by
// field — collecting every problem with its full key path — and turned into the frozen OperatorConfig that
// everything else receives. Hand-written readers rather than a schema library, because the rules that
// matter here (case-insensitive keys, unknown keys as warnings, string booleans, compiled selectors, one
// message per problem naming the key and the allowed values) are exactly what a generic schema would have
// to be bent into.

import type { ConfiguredEnv, SidecarMode } from '../podspec/types.ts';
import { isDnsLabel, isDnsSubdomain } from '../podspec/k8s-names.ts';
import { parseLabelSelector } from '../matching/selectors.ts';
import { compileNamespacePattern } from '../matching/namespace-pattern.ts';
import { ErrorCode } from '../errors/codes.ts';
import { problem, type Problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type {
  DdtraceConfig,
  DdtraceLanguage,
  ElectionConfig,
  ElectionStore,
  LabelSelectorRule,
  LogLevel,
  LogfwdConfig,
  NamespaceRule,
  OperatorConfig,
  ProfilerConfig,
  TlsConfig,
  TlsMode,
} from './types.ts';
import { PROFILER_LANGUAGES } from './types.ts';
import { DEFAULT_CONFIG_DOCUMENT } from './defaults.ts';
import { deepFreeze } from '../podspec/deep-freeze.ts';
import { findCronScheduleProblem } from './cron.ts';
import { listenAddressesOverlap, parseListenAddress, type ListenAddress } from './listen-address.ts';
import { Findings, childPath, describeValue, formatPath } from './findings.ts';
import { readImagePullPolicy, type ImagePullPolicy } from './image-pull-policy.ts';
import { V2_TOP_LEVEL_KEYS, readV2Config } from './v2/schema.ts';
import { readEnvs, readImage, readResources } from './container-settings.ts';
import { readMutateConfig } from './v2/loggings.ts';
import {
  applyConfigOverrides,
  isJsonRecord,
  mergeConfigDocuments,
  normalizeCaseInsensitiveKeys,
  type ConfigOverride,
  type JsonRecord,
} from './merge.ts';
import {
  openSection,
  readArray,
  readBoolean,
  readMatching,
  readNonEmptyString,
  readOneOf,
  readPositiveInteger,
  readRecord,
  readString,
  type FieldReader,
  type Section,
} from './field-readers.ts';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const TLS_MODES: readonly TlsMode[] = ['auto', 'files', 'self-managed', 'ephemeral'];
export const ELECTION_STORES: readonly ElectionStore[] = ['auto', 'memory', 'kubernetes'];
export const SIDECAR_MODES: readonly SidecarMode[] = ['auto', 'container', 'native'];
export const DDTRACE_LANGUAGES: readonly DdtraceLanguage[] = ['java', 'python', 'nodejs'];
/** `js` is the name the annotations and older configs use for Node.js. */
export const DDTRACE_LANGUAGE_ALIASES: Readonly<Record<string, DdtraceLanguage>> = { js: 'nodejs' };

/** Profiler envs the profiler image interprets, checked so a typo fails at load rather than in every pod. */
export const ENV_PROFILE_SCHEDULE = 'DK_PROFILE_SCHEDULE';
export const ENV_PROFILE_DURATION = 'DK_PROFILE_DURATION';

const KUBERNETES_VERSION_AUTO = 'auto';
/** DataKit 2.12 treats an election interval of 2 s or less as invalid (SPEC §10.1, timing validation). */
const MIN_ELECTION_INTERVAL_SECONDS = 3;
const KUBERNETES_VERSION = /^v?(?<major>[0-9]+)\.(?<minor>[0-9]+)(?:\.[0-9]+)?(?:[-+][0-9A-Za-z.+-]*)?$/;

export interface ResolveOptions {
  /** Values set on top of the merged document before validation (legacy env vars, SPEC §2). */
  readonly overrides?: readonly ConfigOverride[];
}

export interface ResolvedConfig {
  readonly config: OperatorConfig;
  readonly warnings: string[];
  /** Entries the running config leaves out (Findings.ignored): logged, counted, and fatal to `config validate`. */
  readonly ignored: string[];
}

/** The sections the user's keys are matched against case-insensitively: the defaults, and the v2 sections. */
const TOP_LEVEL_SHAPE: JsonRecord = {
  ...DEFAULT_CONFIG_DOCUMENT,
  ...Object.fromEntries(V2_TOP_LEVEL_KEYS.map((key) => [key, null])),
};

/** Every invalid key is reported, each problem naming its path (Findings). */
export function resolveConfig(
  document: unknown,
  options: ResolveOptions = {},
): Result<ResolvedConfig, readonly Problem[]> {
  const overrides = options.overrides ?? [];
  const findings = new Findings(new Map(overrides.map((o) => [formatPath(o.path), o.source])));
  if (!isJsonRecord(document)) {
    return err([
      problem(
        ErrorCode.CONFIG_INVALID,
        `the configuration must be a JSON object, got ${describeValue(document)}`,
      ),
    ]);
  }
  const normalized = normalizeCaseInsensitiveKeys(document, TOP_LEVEL_SHAPE, (path, spellings) =>
    findings.warning(
      formatPath(path),
      `keys ${spellings.map((s) => JSON.stringify(s)).join(', ')} are the same key; the last one is used`,
    ),
  );
  const merged = mergeConfigDocuments(DEFAULT_CONFIG_DOCUMENT, normalized) as JsonRecord;
  applyConfigOverrides(merged, overrides);
  const config = readOperatorConfig(findings, merged, normalized);
  if (findings.errors.length > 0) return err(findings.errors);
  return ok({ config: deepFreeze(config), warnings: findings.warnings, ignored: findings.ignored });
}

// Every reader below records its problems and returns a best-effort value; when any problem was recorded
// the assembled config is thrown away, so the fallbacks (`?? ''`) never reach a caller.

function readOperatorConfig(findings: Findings, doc: JsonRecord, userDocument: JsonRecord): OperatorConfig {
  const root = openSection(findings, doc, '', [
    ...Object.keys(DEFAULT_CONFIG_DOCUMENT),
    ...V2_TOP_LEVEL_KEYS,
  ]);
  const admission = root.section('admission_inject', Object.keys(DEFAULT_CONFIG_DOCUMENT.admission_inject));
  const serverListen = root.read('server_listen', readListen);
  const healthListen = root.read('health_listen', readListen);
  if (serverListen.address && healthListen.address) {
    if (listenAddressesOverlap(serverListen.address, healthListen.address)) {
      findings.error(
        'health_listen',
        `${describeValue(healthListen.text)} uses the same port as server_listen`,
      );
    }
  }
  return {
    server_listen: serverListen.text,
    health_listen: healthListen.text,
    log_level: root.read('log_level', oneOf(LOG_LEVELS)) ?? 'info',
    tls: readTls(root.section('tls', Object.keys(DEFAULT_CONFIG_DOCUMENT.tls))),
    admission_inject: {
      ddtrace: readDdtrace(admission),
      logfwd: readLogfwd(admission),
      profiler: readProfiler(admission),
    },
    admission_inject_v2: readV2Config(findings, doc, userDocument),
    admission_mutate: readMutateConfig(findings, doc),
    namespace: root.read('namespace', readOperatorNamespace),
    kubernetes_version: root.read('kubernetes_version', readKubernetesVersion),
    election: readElection(root.section('election', Object.keys(DEFAULT_CONFIG_DOCUMENT.election))),
  };
}

function oneOf<T extends string>(
  allowed: readonly T[],
  aliases?: Readonly<Record<string, T>>,
): FieldReader<T | undefined> {
  return (findings, value, path) => readOneOf(findings, value, path, allowed, aliases);
}

function readListen(
  findings: Findings,
  value: unknown,
  path: string,
): { text: string; address?: ListenAddress } {
  const text = readString(findings, value, path);
  if (text === undefined) return { text: '' };
  const parsed = parseListenAddress(text);
  if (!parsed.ok) {
    findings.error(path, `${describeValue(text)} is not a listen address: ${parsed.error}`);
    return { text };
  }
  return { text, address: parsed.value };
}

function readTls(tls: Section): TlsConfig {
  return {
    mode: tls.read('mode', oneOf(TLS_MODES)) ?? 'auto',
    cert_file: tls.read('cert_file', readNonEmptyString) ?? '',
    key_file: tls.read('key_file', readNonEmptyString) ?? '',
    secret_name: tls.read('secret_name', readObjectName),
    service_name: tls.read('service_name', readDnsLabelName),
    webhook_config_name: tls.read('webhook_config_name', readObjectName),
  };
}

function readObjectName(findings: Findings, value: unknown, path: string): string {
  const described =
    'a Kubernetes object name (lower-case letters, digits, "-" and ".", at most 253 characters)';
  return readMatching(findings, value, path, isDnsSubdomain, described) ?? '';
}

function readDnsLabelName(findings: Findings, value: unknown, path: string): string {
  const described = 'a Kubernetes name (lower-case letters, digits and "-", at most 63 characters)';
  return readMatching(findings, value, path, isDnsLabel, described) ?? '';
}

/** Empty means "not configured": the operator namespace is then found at start-up (SPEC §1). */
function readOperatorNamespace(findings: Findings, value: unknown, path: string): string {
  const text = readString(findings, value, path);
  return text === undefined || text === '' ? '' : readDnsLabelName(findings, text, path);
}

function readKubernetesVersion(findings: Findings, value: unknown, path: string): string {
  const text = readString(findings, value, path);
  if (text === undefined || text === KUBERNETES_VERSION_AUTO) return KUBERNETES_VERSION_AUTO;
  const groups = KUBERNETES_VERSION.exec(text)?.groups;
  if (groups === undefined) {
    findings.error(path, `${describeValue(text)} is not "auto" or a Kubernetes version such as 1.30`);
    return KUBERNETES_VERSION_AUTO;
  }
  // Only MAJOR.MINOR matters to the sidecar mode; `v1.30.2` is written as `1.30` so consumers need no parsing.
  return `${Number(groups['major'])}.${Number(groups['minor'])}`;
}

function readElection(election: Section): ElectionConfig {
  const lease = election.read('lease_duration_seconds', readPositiveInteger);
  const interval = election.read('interval_seconds', readPositiveInteger);
  const leasePath = childPath(election.path, 'lease_duration_seconds');
  const intervalPath = childPath(election.path, 'interval_seconds');
  // DataKit 2.12 discards every answer that breaks these rules (SPEC §10.1): a config that breaks them
  // would report the election ready while no DataKit ever leads.
  if (interval !== undefined && interval < MIN_ELECTION_INTERVAL_SECONDS) {
    election.findings.error(
      intervalPath,
      `${interval} is below ${MIN_ELECTION_INTERVAL_SECONDS}: DataKit rejects an election interval of 2 s ` +
        'or less (its request timeout) and never leads; use 3 or more',
    );
  }
  if (lease !== undefined && interval !== undefined && lease <= interval) {
    election.findings.error(
      leasePath,
      `${lease} must be greater than ${intervalPath} (${interval}): DataKit rejects a lease_duration ` +
        'that is not longer than the interval and never leads',
    );
  }
  return {
    store: election.read('store', oneOf(ELECTION_STORES)) ?? 'auto',
    lease_duration_seconds: lease ?? 0,
    interval_seconds: interval ?? 0,
    max_scopes: election.read('max_scopes', readPositiveInteger) ?? 0,
  };
}

function readDdtrace(admission: Section): DdtraceConfig {
  const defaults = DEFAULT_CONFIG_DOCUMENT.admission_inject.ddtrace;
  const ddtrace = admission.section('ddtrace', [...Object.keys(defaults), IMAGE_PULL_POLICY_KEY]);
  const images = ddtrace.section('images', Object.keys(defaults.images));
  const language = oneOf(DDTRACE_LANGUAGES, DDTRACE_LANGUAGE_ALIASES);
  return {
    enabled_namespaces: ddtrace.read('enabled_namespaces', namespaceRules(language)),
    enabled_labelselectors: ddtrace.read('enabled_labelselectors', labelSelectorRules(language)),
    images: {
      java_agent_image: images.read('java_agent_image', readImage),
      python_agent_image: images.read('python_agent_image', readImage),
      js_agent_image: images.read('js_agent_image', readImage),
    },
    envs: ddtrace.read('envs', readEnvs),
    resources: ddtrace.read('resources', readResources),
    ...readV1PullPolicy(ddtrace),
  };
}

function readLogfwd(admission: Section): LogfwdConfig {
  const defaults = DEFAULT_CONFIG_DOCUMENT.admission_inject.logfwd;
  const logfwd = admission.section('logfwd', [...Object.keys(defaults), IMAGE_PULL_POLICY_KEY]);
  const options = logfwd.section('options', Object.keys(defaults.options));
  const images = logfwd.section('images', Object.keys(defaults.images));
  return {
    options: {
      reuse_exist_volume: options.read('reuse_exist_volume', readBoolean) ?? false,
      sidecar_mode: options.read('sidecar_mode', oneOf(SIDECAR_MODES)) ?? 'auto',
    },
    images: { logfwd_image: images.read('logfwd_image', readImage) },
    envs: logfwd.read('envs', readEnvs),
    resources: logfwd.read('resources', readResources),
    ...readV1PullPolicy(logfwd),
  };
}

function readProfiler(admission: Section): ProfilerConfig {
  const defaults = DEFAULT_CONFIG_DOCUMENT.admission_inject.profiler;
  const profiler = admission.section('profiler', [...Object.keys(defaults), IMAGE_PULL_POLICY_KEY]);
  const options = profiler.section('options', Object.keys(defaults.options));
  const images = profiler.section('images', Object.keys(defaults.images));
  const language = oneOf(PROFILER_LANGUAGES);
  return {
    enabled_namespaces: profiler.read('enabled_namespaces', namespaceRules(language)),
    enabled_labelselectors: profiler.read('enabled_labelselectors', labelSelectorRules(language)),
    options: {
      sidecar_mode: options.read('sidecar_mode', oneOf(SIDECAR_MODES)) ?? 'auto',
      mount_host_localtime: options.read('mount_host_localtime', readBoolean) ?? true,
    },
    images: {
      java_profiler_image: images.read('java_profiler_image', readImage),
      python_profiler_image: images.read('python_profiler_image', readImage),
      golang_profiler_image: images.read('golang_profiler_image', readImage),
    },
    envs: profiler.read('envs', readProfilerEnvs),
    resources: profiler.read('resources', readResources),
    ...readV1PullPolicy(profiler),
  };
}

const IMAGE_PULL_POLICY_KEY = 'image_pull_policy';

/** v1 sections may set the policy too; not set, the container has none (Kubernetes' default), as before. */
function readV1PullPolicy(section: Section): { image_pull_policy?: ImagePullPolicy } {
  const policy = section.read(IMAGE_PULL_POLICY_KEY, (findings, value, path) =>
    readImagePullPolicy(findings, value, path, undefined),
  );
  return policy === undefined ? {} : { image_pull_policy: policy };
}

/** A compiled namespace pattern or label selector, with what its text means that the user may not expect. */
interface Cautioned {
  readonly cautions: readonly string[];
}

/** One `enabled_namespaces` / `enabled_labelselectors` entry as read: its target text, compiled, and its language. */
interface RuleEntry<L extends string, T> {
  readonly source: string;
  readonly compiled: T;
  readonly language: L;
}

function readRuleEntries<L extends string, T extends Cautioned>(
  findings: Findings,
  value: unknown,
  path: string,
  targetKey: 'namespace' | 'labelselector',
  compile: (text: string) => Result<T, string>,
  readLanguage: FieldReader<L | undefined>,
): RuleEntry<L, T>[] {
  const entries = readArray(findings, value, path) ?? [];
  const rules: RuleEntry<L, T>[] = [];
  for (const [i, raw] of entries.entries()) {
    const entryPath = childPath(path, i);
    const entry = readRecord(findings, raw, entryPath, [targetKey, 'language']);
    if (entry === undefined) continue;
    const compiled = readCompiled(findings, entry, childPath(entryPath, targetKey), targetKey, compile);
    const languagePath = childPath(entryPath, 'language');
    const language = Object.hasOwn(entry, 'language')
      ? readRuleLanguage(findings, entry['language'], languagePath, readLanguage)
      : missing(findings, languagePath);
    if (compiled !== undefined && language !== undefined) rules.push({ ...compiled, language });
  }
  return rules;
}

/**
 * A rule whose language is a string but not one we know never injected anything upstream (its injector
 * skipped the unknown language), so the rule is ignored rather than refused. A language that is not a
 * string at all failed upstream's JSON decoding too, and stays an error.
 */
function readRuleLanguage<L extends string>(
  findings: Findings,
  value: unknown,
  path: string,
  readLanguage: FieldReader<L | undefined>,
): L | undefined {
  return readLanguage(typeof value === 'string' ? findings.ignoringErrors() : findings, value, path);
}

function readCompiled<T extends Cautioned>(
  findings: Findings,
  entry: JsonRecord,
  path: string,
  key: 'namespace' | 'labelselector',
  compile: (text: string) => Result<T, string>,
): { source: string; compiled: T } | undefined {
  if (!Object.hasOwn(entry, key)) return missing(findings, path);
  const source = readString(findings, entry[key], path);
  if (source === undefined) return undefined;
  const compiled = compile(source);
  // The compilers' messages already quote the text and say what is wrong where. Upstream logged such an
  // entry and went on without it, so an upgrade must start too (SPEC §12.1).
  if (!compiled.ok) {
    findings.ignore(path, compiled.error);
    return undefined;
  }
  for (const caution of compiled.value.cautions) findings.warning(path, caution);
  if (key === 'labelselector' && source.trim() === '') {
    findings.warning(path, 'an empty label selector matches every pod in the cluster');
  }
  return { source, compiled: compiled.value };
}

function missing(findings: Findings, path: string): undefined {
  findings.error(path, 'is required');
  return undefined;
}

function namespaceRules<L extends string>(
  readLanguage: FieldReader<L | undefined>,
): FieldReader<NamespaceRule<L>[]> {
  return (findings, value, path) =>
    readRuleEntries(findings, value, path, 'namespace', compileNamespacePattern, readLanguage).map(
      ({ source, compiled, language }) => ({ namespace: source, pattern: compiled, language }),
    );
}

function labelSelectorRules<L extends string>(
  readLanguage: FieldReader<L | undefined>,
): FieldReader<LabelSelectorRule<L>[]> {
  return (findings, value, path) =>
    readRuleEntries(findings, value, path, 'labelselector', parseLabelSelector, readLanguage).map(
      ({ source, compiled, language }) => ({ labelselector: source, selector: compiled, language }),
    );
}

// The profiler image interprets these envs; the Go operator passed them through unchecked, so a value the
// image cannot use is a warning (the profiler will not run as meant), not a reason to refuse the config.
function readProfilerEnvs(findings: Findings, value: unknown, path: string): ConfiguredEnv[] {
  const envs = readEnvs(findings, value, path);
  for (const { name, value: text } of envs) {
    if (name === ENV_PROFILE_SCHEDULE) {
      const problem = findCronScheduleProblem(text);
      if (problem !== undefined) {
        findings.warning(
          childPath(path, name),
          `${describeValue(text)} is not a cron schedule the profiler can run: ${problem}`,
        );
      }
    }
    if (name === ENV_PROFILE_DURATION && !/^[1-9][0-9]*$/.test(text)) {
      findings.warning(
        childPath(path, name),
        `${describeValue(text)} is not a positive integer (seconds); the profiler cannot use it`,
      );
    }
  }
  return envs;
}
