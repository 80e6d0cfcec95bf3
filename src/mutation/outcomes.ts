// Constructors for the decisions injectors report.

import type { Edit, FeaturePlan, InjectedOutcome, SkippedOutcome } from './plan.ts';
import type { FeatureName, InjectReason, Outcome, SkipReason } from './types.ts';

export function injected(
  feature: FeatureName,
  reason: InjectReason,
  summary: string | number,
  detail: string,
  warnings: readonly string[] = [],
): InjectedOutcome {
  return { feature, status: 'injected', reason, summary, detail, warnings };
}

export function skipped(
  feature: FeatureName,
  reason: SkipReason,
  detail: string,
  warning?: string,
): SkippedOutcome {
  return warning === undefined
    ? { feature, status: 'skipped', reason, detail }
    : { feature, status: 'skipped', reason, detail, warning };
}

/** The warnings an outcome carries for the user, whatever its status. */
export function outcomeWarnings(outcome: Outcome): readonly string[] {
  if (outcome.status === 'injected') return outcome.warnings;
  return outcome.warning === undefined ? [] : [outcome.warning];
}

/** A plan that changes nothing: the feature is skipped for the reason the outcome gives. */
export function skipPlan(outcome: SkippedOutcome): FeaturePlan {
  return { kind: 'skip', outcome };
}

/** A plan: the outcome the feature reports once the applier has applied its edits. */
export function editPlan(outcome: InjectedOutcome, edits: readonly Edit[]): FeaturePlan {
  return { kind: 'plan', outcome, edits };
}
