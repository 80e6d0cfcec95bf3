// Injected env vars (SPEC §5): configured values become literals or `valueFrom` references, the user's own
// envs win, DD_TAGS merges, and `$(NAME)` references are kept working by ordering (Kubernetes expands a
// reference only to an env defined earlier in the same container).

import type { ConfiguredEnv } from '../config/types.ts';
import { isConfigMapKey, isDnsSubdomain, isQualifiedName } from './k8s-names.ts';
import type { Container, EnvVar, JsonObject } from './types.ts';

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

/** Placeholder → valueFrom per the SPEC §5 table; anything unrecognised stays a literal value. */
export function buildEnvVar(env: ConfiguredEnv, containerName: string): EnvVar {
  const valueFrom = resolveEnvPlaceholder(env.value, containerName);
  return valueFrom === undefined ? { name: env.name, value: env.value } : { name: env.name, valueFrom };
}

/**
 * The env the container's process sees under `name`: with duplicate names the later entry wins in the
 * kubelet, so this is the last one.
 */
export function findEnv(container: Container, name: string): EnvVar | undefined {
  return container.env?.findLast((env) => env.name === name);
}

/**
 * The names a value refers to with `$(NAME)`, as Kubernetes expands them: `$$` is an escaped `$`, so
 * `$$(NAME)` is literal text, and an unclosed `$(` is literal too.
 */
export function envReferences(value: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < value.length) {
    if (value.charAt(i) !== '$' || i + 1 >= value.length) {
      i += 1;
      continue;
    }
    const next = value.charAt(i + 1);
    if (next === '$') {
      i += 2;
    } else if (next === '(') {
      const close = value.indexOf(')', i + 2);
      if (close === -1) return names;
      const name = value.slice(i + 2, close);
      if (name !== '') names.push(name);
      i = close + 1;
    } else {
      i += 1;
    }
  }
  return names;
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

/** Appends the configured pairs whose key the user's literal DD_TAGS lacks. Returns whether it changed. */
function mergeDdTags(existing: EnvVar, injected: EnvVar): boolean {
  if (existing.valueFrom !== undefined || injected.valueFrom !== undefined) return false;
  if (typeof injected.value !== 'string') return false;
  const current = typeof existing.value === 'string' ? existing.value : '';
  const keys = new Set(splitDdTags(current).map(ddTagKey));
  const missing: string[] = [];
  for (const pair of splitDdTags(injected.value)) {
    const key = ddTagKey(pair);
    if (keys.has(key)) continue;
    keys.add(key);
    missing.push(pair);
  }
  if (missing.length === 0) return false;
  const kept = current.replace(TRAILING_SEPARATORS, '');
  // Keep the user's style: a space-separated list stays space-separated (the Python tracer reads a value
  // that contains a comma as comma-separated only).
  const separator = !kept.includes(',') && /\S\s+\S/.test(kept.trim()) ? ' ' : ',';
  existing.value = kept === '' ? missing.join(',') : `${kept}${separator}${missing.join(separator)}`;
  return true;
}

/**
 * Adds the injected envs to `container.env` (creating it if needed): each env the container already has by
 * name is left exactly as it is (the user wins), except DD_TAGS (SPEC §5 merge: when the existing DD_TAGS is
 * a literal `value`, append the configured `key:value` pairs whose key is absent, comma-separated; existing
 * pairs win; a DD_TAGS with valueFrom is left alone). New envs are appended after the container's own, in the
 * given order, then reordered only as far as needed so that every `$(NAME)` reference in an injected (or
 * merged DD_TAGS) value comes after the env named NAME when that env is defined in the container. The
 * container's own envs never move relative to each other, except a merged DD_TAGS that is moved after the
 * envs it references. `$$(NAME)` is an escaped reference (Kubernetes semantics) and does not count.
 * Returns the names that were added or changed (for idempotency checks and tests).
 */
export function addEnvsIfAbsent(container: Container, envs: readonly EnvVar[]): string[] {
  const own = container.env ?? [];
  const ownNames = new Set(own.map((env) => env.name));
  const handled = new Set<string>();
  const added: EnvVar[] = [];
  const changed: string[] = [];
  let mergedDdTags: EnvVar | undefined;
  for (const env of envs) {
    if (handled.has(env.name)) continue;
    handled.add(env.name);
    if (!ownNames.has(env.name)) {
      // A copy, so that one built env list can be given to several containers without sharing objects.
      added.push(structuredClone(env));
      changed.push(env.name);
    } else if (env.name === DD_TAGS) {
      const existing = findEnv(container, DD_TAGS);
      if (existing !== undefined && mergeDdTags(existing, env)) {
        mergedDdTags = existing;
        changed.push(DD_TAGS);
      }
    }
  }
  if (changed.length === 0) return changed;
  container.env = orderByReferences(own, added, mergedDdTags);
  return changed;
}

/**
 * A stable topological order: the container's own envs keep their order (each waits for the previous
 * one), the movable envs (new ones and a merged DD_TAGS) wait for the envs they reference, and at every
 * step the earliest ready env goes next — so nothing moves further than its references require.
 */
function orderByReferences(
  own: readonly EnvVar[],
  added: readonly EnvVar[],
  merged: EnvVar | undefined,
): EnvVar[] {
  const all = [...own, ...added];
  const prerequisites: number[][] = all.map(() => []);
  let previousFixed = -1;
  all.forEach((env, index) => {
    const movable = index >= own.length || env === merged;
    if (!movable) {
      if (previousFixed !== -1) prerequisites[index]?.push(previousFixed);
      previousFixed = index;
      return;
    }
    const referenced = new Set(typeof env.value === 'string' ? envReferences(env.value) : []);
    all.forEach((other, otherIndex) => {
      if (otherIndex !== index && referenced.has(other.name)) prerequisites[index]?.push(otherIndex);
    });
  });
  dropCycles(prerequisites);

  const placed = all.map(() => false);
  const ordered: EnvVar[] = [];
  while (ordered.length < all.length) {
    let next = all.findIndex((_, i) => !placed[i] && (prerequisites[i] ?? []).every((p) => placed[p]));
    // Unreachable once cycles are dropped; kept so that a mistake can never turn into an endless loop.
    if (next === -1) next = placed.indexOf(false);
    placed[next] = true;
    const env = all[next];
    if (env !== undefined) ordered.push(env);
  }
  return ordered;
}

/**
 * References that form a cycle (A=$(B), B=$(A)) cannot all be satisfied; ignoring every edge of a cycle
 * leaves those envs in the given (config) order instead of a surprising one.
 */
function dropCycles(prerequisites: number[][]): void {
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    const stack = [from];
    while (stack.length > 0) {
      const current = stack.pop() as number;
      if (current === to) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      stack.push(...(prerequisites[current] ?? []));
    }
    return false;
  };
  const cyclic = prerequisites.map((list, index) => list.filter((p) => reaches(p, index)));
  cyclic.forEach((drop, index) => {
    if (drop.length > 0) prerequisites[index] = (prerequisites[index] ?? []).filter((p) => !drop.includes(p));
  });
}
