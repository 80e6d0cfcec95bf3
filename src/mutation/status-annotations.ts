// The annotations the operator leaves on the pod it mutated (SPEC §3): what was injected, and the
// warnings, so both are visible on pods a controller created (where nobody sees kubectl's warnings).
// Both merge with what an earlier pass wrote, so a re-invocation never loses information and a second
// pass over an already-mutated pod changes nothing. They never make the pod invalid (SPEC §15): the
// warnings are capped, and nothing is written that would take the pod's annotations over the API
// server's total.

import { getAnnotation } from '../podspec/annotations.ts';
import type { Pod } from '../podspec/types.ts';
import { annotationBytes } from './annotation-size.ts';
import type { PodDraft } from './draft.ts';
import { MAX_TOTAL_ANNOTATION_BYTES } from './limits.ts';
import { ANNOTATION_INJECTED, ANNOTATION_WARNINGS } from './operator-names.ts';
import type { Outcome } from './types.ts';
import { capWarnings, isMoreWarningsLine } from './warning-caps.ts';

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

/** The `admission.datakit/injected` value after this pass; undefined when nothing was injected. */
function injectedValue(pod: Readonly<Pod>, outcomes: readonly Outcome[]): string | undefined {
  const applied = outcomes.filter((outcome) => outcome.status === 'injected');
  if (applied.length === 0) return undefined;
  const previous = parseJson(getAnnotation(pod, ANNOTATION_INJECTED));
  const merged: Record<string, unknown> = isRecord(previous) ? { ...previous } : {};
  for (const outcome of applied) merged[outcome.feature] = outcome.summary;
  return JSON.stringify(merged);
}

/** The `admission.datakit/warnings` value after this pass; undefined when it would not change. */
function warningsValue(pod: Readonly<Pod>, warnings: readonly string[]): string | undefined {
  if (warnings.length === 0) return undefined;
  const previous = parseJson(getAnnotation(pod, ANNOTATION_WARNINGS));
  const known = Array.isArray(previous)
    ? previous.filter((item): item is string => typeof item === 'string' && !isMoreWarningsLine(item))
    : [];
  const merged = [...new Set([...known, ...warnings])];
  if (known.length === merged.length) return undefined;
  return JSON.stringify(capWarnings(merged));
}

export interface StatusRecord {
  /** Whether any annotation was written. */
  readonly written: boolean;
  /** Set when the annotations were left out because the pod's annotations would be too large. */
  readonly warning?: string;
}

/**
 * Writes the status annotations into the draft. `warnings` are this pass's; they are recorded even when
 * nothing was injected, because on a controller-made pod the annotation is the only place a user sees why.
 */
export function recordStatus(
  draft: PodDraft,
  outcomes: readonly Outcome[],
  warnings: readonly string[],
): StatusRecord {
  const updates = new Map<string, string>();
  const injected = injectedValue(draft.pod, outcomes);
  if (injected !== undefined) updates.set(ANNOTATION_INJECTED, injected);
  const warningsText = warningsValue(draft.pod, warnings);
  if (warningsText !== undefined) updates.set(ANNOTATION_WARNINGS, warningsText);
  if (updates.size === 0) return { written: false };

  const annotations = draft.pod.metadata?.annotations ?? {};
  let warning: string | undefined;
  if (annotationBytes(annotations, updates) > MAX_TOTAL_ANNOTATION_BYTES) {
    updates.delete(ANNOTATION_WARNINGS);
    const tooLarge = `the pod's annotations would exceed the API server's limit of ${MAX_TOTAL_ANNOTATION_BYTES} bytes`;
    if (updates.size === 0 || annotationBytes(annotations, updates) > MAX_TOTAL_ANNOTATION_BYTES) {
      return { written: false, warning: `the operator's status annotations were not written: ${tooLarge}` };
    }
    warning = `annotation ${ANNOTATION_WARNINGS} was not written: ${tooLarge}`;
  }
  for (const [key, value] of updates) draft.setAnnotation(key, value);
  return warning === undefined ? { written: true } : { written: true, warning };
}

/** Whether an earlier pass of the operator left its mark on the pod. */
export function wasProcessedBefore(pod: Readonly<Pod>): boolean {
  return (
    getAnnotation(pod, ANNOTATION_INJECTED) !== undefined ||
    getAnnotation(pod, ANNOTATION_WARNINGS) !== undefined
  );
}
