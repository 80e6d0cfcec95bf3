// The variable that makes the runtime load the agent (JAVA_TOOL_OPTIONS, PYTHONPATH, NODE_OPTIONS).
// A user's own value is kept and joined with ours; we never add a leading separator (upstream put a
// leading space into JAVA_TOOL_OPTIONS, SPEC §14).

import type { Container } from '../../podspec/types.ts';
import type { LanguageVariable } from './languages.ts';

export type LanguageVariableEdit = 'added' | 'joined' | 'present' | 'value-from';

function tokens(value: string, join: LanguageVariable['join']): string[] {
  return join === 'append-with-space' ? value.split(/\s+/) : value.split(':');
}

function joinValues(existing: string, variable: LanguageVariable): string {
  return variable.join === 'append-with-space'
    ? `${existing} ${variable.value}`
    : `${variable.value}:${existing}`;
}

export function applyLanguageVariable(
  container: Container,
  variable: LanguageVariable,
): LanguageVariableEdit {
  container.env ??= [];
  const existing = container.env.find((env) => env.name === variable.name);
  if (!existing) {
    container.env.push({ name: variable.name, value: variable.value });
    return 'added';
  }
  if (existing.valueFrom !== undefined) return 'value-from';
  const current = existing.value ?? '';
  if (tokens(current, variable.join).includes(variable.value)) return 'present';
  existing.value = current.trim() === '' ? variable.value : joinValues(current, variable);
  return 'joined';
}
