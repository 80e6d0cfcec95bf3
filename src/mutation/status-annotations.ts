// The annotations the operator leaves on the pod it mutated (SPEC §3): what was injected, and the
// warnings, so both are visible on pods a controller created (where nobody sees kubectl's warnings).
// Both merge with what an earlier pass wrote, so a re-invocation never loses information and a second
// pass over an already-mutated pod changes nothing.

import { getAnnotation, setAnnotation } from '../podspec/annotations.ts';
import type { Pod } from '../podspec/types.ts';
import { ANNOTATION_INJECTED, ANNOTATION_WARNINGS } from './operator-names.ts';
import type { Outcome } from './types.ts';

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordInjected(pod: Pod, outcomes: readonly Outcome[]): void {
  const applied = outcomes.filter((outcome) => outcome.status === 'injected');
  if (applied.length === 0) return;
  const previous = parseJson(getAnnotation(pod, ANNOTATION_INJECTED));
  const merged: Record<string, unknown> = isRecord(previous) ? { ...previous } : {};
  for (const outcome of applied) merged[outcome.feature] = outcome.summary;
  setAnnotation(pod, ANNOTATION_INJECTED, JSON.stringify(merged));
}

/** Returns whether the annotation changed. */
export function recordWarnings(pod: Pod, warnings: readonly string[]): boolean {
  if (warnings.length === 0) return false;
  const previous = parseJson(getAnnotation(pod, ANNOTATION_WARNINGS));
  const known = Array.isArray(previous) ? previous.filter((item) => typeof item === 'string') : [];
  const merged = [...new Set([...known, ...warnings])];
  if (known.length === merged.length) return false;
  setAnnotation(pod, ANNOTATION_WARNINGS, JSON.stringify(merged));
  return true;
}

/** Whether an earlier pass of the operator left its mark on the pod. */
export function wasProcessedBefore(pod: Pod): boolean {
  return (
    getAnnotation(pod, ANNOTATION_INJECTED) !== undefined ||
    getAnnotation(pod, ANNOTATION_WARNINGS) !== undefined
  );
}
