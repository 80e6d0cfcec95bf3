// Runs one feature through the real applier, as mutatePod does, without the status annotations: what
// the feature's unit tests observe (its outcome, and the pod its applied plan produced).

import { applyPlans } from '../../src/mutation/apply-plans.ts';
import { PodDraft } from '../../src/mutation/draft.ts';
import type { Feature } from '../../src/mutation/plan.ts';
import { resolveTargetContainers } from '../../src/mutation/target-containers.ts';
import type { MutationContext, Outcome } from '../../src/mutation/types.ts';
import type { Pod } from '../../src/podspec/types.ts';

export function runFeature(
  feature: Feature,
  pod: Pod,
  ctx: MutationContext,
): { readonly outcome: Outcome; readonly draft: Pod } {
  const draft = new PodDraft(pod);
  const request = { ...ctx, targets: resolveTargetContainers(pod) };
  const outcomes = applyPlans(draft, [{ name: feature.name, selection: feature.select(pod, ctx) }], request);
  return { outcome: outcomes[0] as Outcome, draft: draft.pod as Pod };
}
