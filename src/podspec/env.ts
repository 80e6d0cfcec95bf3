// Injected env vars (SPEC §5): configured values become literals or `valueFrom` references, the user's own
// envs win, DD_TAGS merges, and `$(NAME)` references are kept working by ordering (Kubernetes expands a
// reference only to an env defined earlier in the same container).

import { isConfigMapKey, isDnsSubdomain, isQualifiedName } from './k8s-names.ts';
import { orderByReferences } from './env-order.ts';
import { shareValue } from './shared-values.ts';
import type { ConfiguredEnv, Container, EnvVar, JsonObject } from './types.ts';

export { envReferences } from './env-references.ts';

export const DD_TAGS = 'DD_TAGS';

type PlaceholderKind = 'fieldRef' | 'resourceFieldRef' | 'secretKeyRef';

const PLACEHOLDER = /^\{(fieldRef|resourceFieldRef|secretKeyRef):(.*)\}$/s;

/** The pod fields the downward API offers to env vars (labels and annotations are handled below). */
const POD_FIELD_PATHS: ReadonlySet<string> = new Set([
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.serviceAccountName',
  'spec.nodeName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);
const POD_MAP_FIELD_PATH = /^metadata\.(?:labels|annotations)\['(.*)'\]$/s;
const CONTAINER_RESOURCES: ReadonlySet<string> = new Set([
  'limits.cpu',
  'limits.memory',
  'requests.cpu',
  'requests.memory',
]);
const SECRET_NAME_KEY_SEPARATOR = '.';

// `fieldRef.apiVersion` is deliberately left out: the API server defaults it, and writing it ourselves would
// make our env differ from the stored one, which breaks the "already injected" comparisons.
const PLACEHOLDERS: Readonly<
  Record<PlaceholderKind, (argument: string, containerName: string) => JsonObject | undefined>
> = {
  fieldRef: (fieldPath) => {
    const mapKey = POD_MAP_FIELD_PATH.exec(fieldPath)?.[1];
    const valid = POD_FIELD_PATHS.has(fieldPath) || (mapKey !== undefined && isQualifiedName(mapKey));
    return valid ? { fieldRef: { fieldPath } } : undefined;
  },
  resourceFieldRef: (resource, containerName) =>
    CONTAINER_RESOURCES.has(resource) ? { resourceFieldRef: { containerName, resource } } : undefined,
  // Secret names (DNS subdomains) and keys can both contain dots, so `NAME.KEY` is ambiguous and one rule
  // must be chosen. We split at the last dot: the name part then allows every DNS subdomain
  // (`guance.datakit-secret.token`), at the price of keys with a dot, which this syntax cannot express.
  secretKeyRef: (reference) => {
    const at = reference.lastIndexOf(SECRET_NAME_KEY_SEPARATOR);
    if (at === -1) return undefined;
    const name = reference.slice(0, at);
    const key = reference.slice(at + 1);
    return isDnsSubdomain(name) && isConfigMapKey(key) ? { secretKeyRef: { name, key } } : undefined;
  },
};

/** The `valueFrom` a placeholder stands for, or undefined when the value is not a valid placeholder. */
export function resolveEnvPlaceholder(value: string, containerName: string): JsonObject | undefined {
  const match = PLACEHOLDER.exec(value);
  if (match === null) return undefined;
  const kind = match[1] as PlaceholderKind;
  return PLACEHOLDERS[kind](match[2] ?? '', containerName);
}

/** True for `{fieldRef:…}`-shaped values, valid or not: config validation warns when one stays literal. */
export function looksLikePlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/** Config envs whose value does not name the container: the one EnvVar each builds, shared. */
const sharedEnvVars = new WeakMap<ConfiguredEnv, EnvVar>();

function namesItsContainer(value: string): boolean {
  return PLACEHOLDER.exec(value)?.[1] === 'resourceFieldRef';
}

/**
 * The EnvVar a config env becomes in `containerName`: placeholder → valueFrom per the SPEC §5 table;
 * anything unrecognised stays a literal value. Only a `{resourceFieldRef:…}` value names the
 * container; every other env builds the same EnvVar everywhere, so it is built once per config env and
 * shared (frozen, shared-values.ts) by every container of every pod.
 */
export function buildEnvVar(env: ConfiguredEnv, containerName: string): EnvVar {
  const shared = sharedEnvVars.get(env);
  if (shared !== undefined) return shared;
  const valueFrom = resolveEnvPlaceholder(env.value, containerName);
  const built: EnvVar =
    valueFrom === undefined ? { name: env.name, value: env.value } : { name: env.name, valueFrom };
  if (namesItsContainer(env.value)) return built;
  sharedEnvVars.set(env, shareValue(built));
  return built;
}

/**
 * The order `$(VAR)` expansion needs among a config's envs when a container gets all of them: decided once
 * per loaded config (the config is frozen, so its env list is a stable key), not per request and
 * container (SPEC §15). Indexes into `configured`.
 */
const configuredOrders = new WeakMap<readonly ConfiguredEnv[], readonly number[]>();

export function configuredEnvOrder(configured: readonly ConfiguredEnv[]): readonly number[] {
  let order = configuredOrders.get(configured);
  if (order === undefined) {
    // References do not depend on the container: any name builds the same values.
    const built = configured.map((env) => buildEnvVar(env, ''));
    const position = new Map(built.map((env, index) => [env, index]));
    order = orderByReferences([], built, undefined).map((env) => position.get(env) as number);
    configuredOrders.set(configured, order);
  }
  return order;
}

// DD_TAGS is `key:value` pairs separated by commas or spaces (both are accepted by the dd-trace libraries).
const DD_TAGS_SEPARATORS = /[\s,]+/;
const TRAILING_SEPARATORS = /[\s,]+$/;

function ddTagKey(pair: string): string {
  const colon = pair.indexOf(':');
  return (colon === -1 ? pair : pair.slice(0, colon)).trim();
}

function splitDdTags(value: string): string[] {
  return value.split(DD_TAGS_SEPARATORS).filter((pair) => pair !== '');
}

/** The user's literal DD_TAGS with the configured pairs whose key it lacks; undefined when nothing is missing. */
function mergeDdTags(existing: EnvVar, injected: EnvVar): EnvVar | undefined {
  if (existing.valueFrom !== undefined || injected.valueFrom !== undefined) return undefined;
  if (typeof injected.value !== 'string') return undefined;
  const current = typeof existing.value === 'string' ? existing.value : '';
  const keys = new Set(splitDdTags(current).map(ddTagKey));
  const missing: string[] = [];
  for (const pair of splitDdTags(injected.value)) {
    const key = ddTagKey(pair);
    if (keys.has(key)) continue;
    keys.add(key);
    missing.push(pair);
  }
  if (missing.length === 0) return undefined;
  const kept = current.replace(TRAILING_SEPARATORS, '');
  // Keep the user's style: a space-separated list stays space-separated (the Python tracer reads a value
  // that contains a comma as comma-separated only).
  const separator = !kept.includes(',') && /\S\s+\S/.test(kept.trim()) ? ' ' : ',';
  const value = kept === '' ? missing.join(',') : `${kept}${separator}${missing.join(separator)}`;
  return { ...existing, value };
}

export interface EnvMerge {
  /** The container's new env list; undefined when nothing changed. */
  readonly env: EnvVar[] | undefined;
  /** The names that were added or changed (for idempotency checks and tests). */
  readonly changed: string[];
}

/**
 * The container's env list with the injected envs: each env the container already has by name is left
 * exactly as it is (the user wins), except DD_TAGS (SPEC §5 merge: when the existing DD_TAGS is a literal
 * `value`, append the configured `key:value` pairs whose key is absent, comma-separated; existing pairs
 * win; a DD_TAGS with valueFrom is left alone). New envs are appended after the container's own, in the
 * given order, then reordered only as far as needed so that every `$(NAME)` reference in an injected (or
 * merged DD_TAGS) value comes after the env named NAME when that env is defined in the container. The
 * container's own envs never move relative to each other, except a merged DD_TAGS that is moved after the
 * envs it references. `$$(NAME)` is an escaped reference (Kubernetes semantics) and does not count.
 * Pure: neither `own` nor the injected envs are written; a merged DD_TAGS is a new object.
 */
export function mergeEnvs(
  own: readonly EnvVar[],
  envs: readonly EnvVar[],
  /** `configuredEnvOrder` of the config `envs` was built from: used when the container gets them all. */
  order?: readonly number[],
): EnvMerge {
  // Most containers define no env of their own: no set to ask then.
  const ownNames = own.length === 0 ? undefined : new Set<string>();
  for (const env of own) ownNames?.add(env.name);
  const handled = new Set<string>();
  const added: EnvVar[] = [];
  const changed: string[] = [];
  let merged: { readonly index: number; readonly env: EnvVar } | undefined;
  for (const env of envs) {
    if (handled.has(env.name)) continue;
    handled.add(env.name);
    if (ownNames?.has(env.name) !== true) {
      added.push(env);
      changed.push(env.name);
    } else if (env.name === DD_TAGS) {
      // With duplicate names the kubelet uses the last one, so that is the one to extend.
      const index = own.findLastIndex((candidate) => candidate.name === DD_TAGS);
      const existing = own[index];
      const extended = existing === undefined ? undefined : mergeDdTags(existing, env);
      if (extended !== undefined) {
        merged = { index, env: extended };
        changed.push(DD_TAGS);
      }
    }
  }
  if (changed.length === 0) return { env: undefined, changed };
  // Every env is new and nothing of the container's moves: the container's own envs keep their place
  // before the new ones, which take the order decided once for the config.
  if (
    order !== undefined &&
    merged === undefined &&
    added.length === envs.length &&
    order.length === envs.length
  ) {
    return { env: [...own, ...order.map((index) => envs[index] as EnvVar)], changed };
  }
  const withMerge =
    merged === undefined ? own : own.map((env, index) => (index === merged.index ? merged.env : env));
  return { env: orderByReferences(withMerge, added, merged?.env), changed };
}

/** Adds the injected envs to a container the caller owns (a sidecar being built); see `mergeEnvs`. */
export function addEnvsIfAbsent(
  container: Container,
  envs: readonly EnvVar[],
  order?: readonly number[],
): string[] {
  const merge = mergeEnvs(container.env ?? [], envs, order);
  if (merge.env !== undefined) container.env = merge.env;
  return merge.changed;
}
