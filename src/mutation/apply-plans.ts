// The one applier (ARCHITECTURE §4 rule 2). Each selected feature plans against the pod as the features
// before it left it; the plan is checked against the pod invariants (SPEC §3, §15) before anything is
// applied, so a plan that would make the pod invalid becomes a `would-break-pod` skip and costs the others
// nothing — there is no undo and no replay. The features' edits are applied to a copy-on-write draft.

import { PodDraft } from './draft.ts';
import { skipped } from './outcomes.ts';
import { PlanChecker } from './plan-check.ts';
import type { FeaturePlan, RequestContext, Selection } from './plan.ts';
import type { FeatureName, Outcome } from './types.ts';

export interface SelectedFeature {
  readonly name: FeatureName;
  readonly selection: Selection;
}

function rejected(name: FeatureName, violations: readonly string[]): Outcome {
  const message = `${name} not injected: it would make the pod invalid (${violations.join('; ')})`;
  return skipped(name, 'would-break-pod', message, message);
}

export function applyPlans(
  draft: PodDraft,
  features: readonly SelectedFeature[],
  request: RequestContext,
): Outcome[] {
  const checker = new PlanChecker();
  const outcomes: Outcome[] = [];
  for (const { name, selection } of features) {
    if (!selection.selected) {
      outcomes.push(selection.outcome);
      continue;
    }
    const plan: FeaturePlan = selection.plan(draft.pod, request);
    if (plan.kind === 'skip') {
      outcomes.push(plan.outcome);
      continue;
    }
    const violations = checker.check(draft.pod, plan.edits);
    if (violations.length > 0) {
      outcomes.push(rejected(name, violations));
      continue;
    }
    for (const edit of plan.edits) draft.apply(edit);
    checker.record(draft.pod, plan.edits);
    outcomes.push(plan.outcome);
  }
  return outcomes;
}
