// Constructors for the decisions injectors report.

import type { FeatureName, InjectReason, Outcome, SkipReason } from './types.ts';

export function injected(
  feature: FeatureName,
  reason: InjectReason,
  summary: string | number,
  detail: string,
  warnings: readonly string[] = [],
): Outcome {
  return { feature, status: 'injected', reason, summary, detail, warnings };
}

export function skipped(feature: FeatureName, reason: SkipReason, detail: string, warning?: string): Outcome {
  return warning === undefined
    ? { feature, status: 'skipped', reason, detail }
    : { feature, status: 'skipped', reason, detail, warning };
}

/** The warnings an outcome carries for the user, whatever its status. */
export function outcomeWarnings(outcome: Outcome): readonly string[] {
  if (outcome.status === 'injected') return outcome.warnings;
  return outcome.warning === undefined ? [] : [outcome.warning];
}
