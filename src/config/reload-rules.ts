// Which config keys a hot reload applies and which take effect only after a restart (SPEC §2, issue 13).
// The table is typed by OperatorConfig itself: a key added to the config without a decision here fails
// the type check, so no new key can silently claim "reloaded" while the running process ignores it.

import type { OperatorConfig } from './types.ts';

/** `live`: read per request or applied on reload; `restart`: read once at start-up. */
export type ReloadRule = 'live' | 'restart';

/** A rule for a whole value, or (for an object) one rule per key. */
type ReloadRules<T> =
  ReloadRule | (T extends readonly unknown[] ? never : T extends object ? KeyRules<T> : never);
type KeyRules<T> = { readonly [K in keyof T]-?: ReloadRules<T[K]> };

export const RELOAD_RULES: KeyRules<OperatorConfig> = {
  // The listeners are bound at start-up.
  server_listen: 'restart',
  health_listen: 'restart',
  log_level: 'live',
  // The certificate source (mode, files, Secret, webhook names) is chosen at start-up; the certificate
  // files themselves are watched by that source.
  tls: 'restart',
  admission_inject: 'live',
  admission_inject_v2: 'live',
  admission_mutate: 'live',
  // Resolved once at start-up: Leases, the Secret and the webhook configuration live there.
  namespace: 'restart',
  kubernetes_version: 'live',
  election: {
    store: 'restart',
    lease_duration_seconds: 'live',
    interval_seconds: 'live',
    max_scopes: 'live',
  },
};

/** The key paths whose value differs between the two configs and whose rule is `restart`, in table order. */
export function restartOnlyChanges(previous: OperatorConfig, next: OperatorConfig): string[] {
  const changed: string[] = [];
  collect(RELOAD_RULES, previous, next, '', changed);
  return changed;
}

function collect(rules: unknown, previous: unknown, next: unknown, path: string, changed: string[]): void {
  if (rules === 'live') return;
  if (rules === 'restart') {
    if (JSON.stringify(previous) !== JSON.stringify(next)) changed.push(path);
    return;
  }
  for (const [key, rule] of Object.entries(rules as Record<string, unknown>)) {
    const child = path === '' ? key : `${path}.${key}`;
    collect(rule, valueOf(previous, key), valueOf(next, key), child, changed);
  }
}

function valueOf(record: unknown, key: string): unknown {
  return typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[key] : undefined;
}
