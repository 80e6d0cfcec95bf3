// The variable that makes the runtime load the agent (JAVA_TOOL_OPTIONS, PYTHONPATH, NODE_OPTIONS).
// A user's own value is kept and joined with ours; we never add a leading separator (upstream put a
// leading space into JAVA_TOOL_OPTIONS, SPEC §14).

import { shareValue } from '../../podspec/shared-values.ts';
import type { EnvVar } from '../../podspec/types.ts';
import type { LanguageVariable } from './languages.ts';

export type LanguageVariableEdit = 'added' | 'joined' | 'present' | 'value-from';

export interface LanguageVariableResult {
  readonly edit: LanguageVariableEdit;
  /** The env list with the variable; the given list itself when the edit is `present` or `value-from`. */
  readonly env: readonly EnvVar[];
}

function tokens(value: string, join: LanguageVariable['join']): string[] {
  return join === 'append-with-space' ? value.split(/\s+/) : value.split(':');
}

function joinValues(existing: string, variable: LanguageVariable): string {
  switch (variable.join) {
    case 'append-with-space':
      return `${existing} ${variable.value}`;
    case 'prepend-with-colon':
      return `${variable.value}:${existing}`;
    case 'append-with-colon':
      return `${existing}:${variable.value}`;
    case 'keep-existing':
      return existing;
  }
}

/** The languages' variables are constants: the entry each adds is built once and shared. */
const addedEntries = new WeakMap<LanguageVariable, EnvVar>();

function addedEntry(variable: LanguageVariable): EnvVar {
  let entry = addedEntries.get(variable);
  if (entry === undefined) {
    entry = shareValue({ name: variable.name, value: variable.whenAbsent ?? variable.value });
    addedEntries.set(variable, entry);
  }
  return entry;
}

/** Pure: a joined value replaces the entry with a new object; `env` is never written. */
export function applyLanguageVariable(
  env: readonly EnvVar[],
  variable: LanguageVariable,
): LanguageVariableResult {
  const at = env.findIndex((entry) => entry.name === variable.name);
  const existing = env[at];
  const initial = variable.whenAbsent ?? variable.value;
  if (existing === undefined) return { edit: 'added', env: [...env, addedEntry(variable)] };
  if (existing.valueFrom !== undefined) return { edit: 'value-from', env };
  const current = existing.value ?? '';
  if (current.trim() !== '' && variable.join === 'keep-existing') return { edit: 'present', env };
  if (tokens(current, variable.join).includes(variable.value)) return { edit: 'present', env };
  const value = current.trim() === '' ? initial : joinValues(current, variable);
  const joined = env.map((entry, index) => (index === at ? { ...existing, value } : entry));
  return { edit: 'joined', env: joined };
}
