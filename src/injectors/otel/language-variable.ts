// The language variable in one container's env list (reference §1.3, §1.4 step 7): refused when the
// container defines it twice or with valueFrom, or when its value belongs to DDTrace or was edited into a
// form the operator does not write; otherwise added, joined, or recognised as already injected.

import type { EnvVar } from '../../podspec/types.ts';
import type { OtelLanguageRow } from './languages.ts';

export type LanguageVariableResult =
  /** `ddtrace`: the value loads DDTrace, the other tracer. */
  | { readonly kind: 'conflict'; readonly problem: string; readonly ddtrace: boolean }
  | { readonly kind: 'present' }
  /** `env`: the container's list with the variable added at the end or changed in place. */
  | { readonly kind: 'set'; readonly env: readonly EnvVar[] };

/** Pure: `env` is never written; a changed entry is a new object. */
export function planLanguageVariable(env: readonly EnvVar[], row: OtelLanguageRow): LanguageVariableResult {
  const { variable } = row;
  const at = env.findIndex((entry) => entry.name === variable);
  const existing = env[at];
  if (existing !== undefined && env.findIndex((entry, i) => i > at && entry.name === variable) !== -1) {
    return { kind: 'conflict', problem: `${variable} is defined more than once`, ddtrace: false };
  }
  if (existing?.valueFrom !== undefined) {
    return {
      kind: 'conflict',
      problem: `${variable} is set with valueFrom, so the agent cannot be added to it`,
      ddtrace: false,
    };
  }
  const current =
    existing === undefined ? undefined : typeof existing.value === 'string' ? existing.value : '';
  const conflict = current === undefined ? undefined : row.value.conflict(current);
  if (conflict !== undefined) {
    return { kind: 'conflict', problem: `${variable}: ${conflict.problem}`, ddtrace: conflict.ddtrace };
  }
  const value = row.value.inject(current);
  if (value === undefined) return { kind: 'present' };
  if (existing === undefined) return { kind: 'set', env: [...env, { name: variable, value }] };
  return { kind: 'set', env: env.map((entry, i) => (i === at ? { ...existing, value } : entry)) };
}
