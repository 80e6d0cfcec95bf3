// Runs the injectors over a private copy of the received pod. Each injection is checked against the pod
// invariants (SPEC §3) and undone if it introduced a violation, so one feature's problem never costs the
// others. An injector that throws is not caught here: the caller fails the whole request open.

import { listInvariantViolations, newInvariantViolations } from './invariants.ts';
import { skipped, outcomeWarnings } from './outcomes.ts';
import { recordInjected, recordWarnings, wasProcessedBefore } from './status-annotations.ts';
import { isPodOptedOut } from './targeting.ts';
import { ANNOTATION_ENABLED } from './operator-names.ts';
import type { Injector, MutationContext, MutationResult, Outcome } from './types.ts';
import type { Pod } from '../podspec/types.ts';

export function mutatePod(
  original: Readonly<Pod>,
  ctx: MutationContext,
  injectors: readonly Injector[],
): MutationResult {
  if (isPodOptedOut(original)) {
    const outcomes = injectors.map((injector) =>
      skipped(injector.name, 'pod-opted-out', `annotation ${ANNOTATION_ENABLED} is false`),
    );
    return { pod: original, outcomes, warnings: [], changed: false };
  }

  let draft = structuredClone(original) as Pod;
  const violationsBefore = listInvariantViolations(draft);
  const outcomes: Outcome[] = [];
  const kept: Injector[] = [];
  for (const injector of injectors) {
    const outcome = injector.inject(draft, ctx);
    const introduced = newInvariantViolations(violationsBefore, draft);
    if (introduced.length > 0) {
      draft = replay(original, kept, ctx);
      const message = `${injector.name} not injected: it would make the pod invalid (${introduced.join('; ')})`;
      outcomes.push(skipped(injector.name, 'would-break-pod', message, message));
      continue;
    }
    kept.push(injector);
    outcomes.push(outcome);
  }

  // Several features may report the same problem (e.g. a bad container-names annotation): say it once.
  const warnings = [...new Set(outcomes.flatMap(outcomeWarnings))];
  const injectedAny = outcomes.some((outcome) => outcome.status === 'injected');
  if (!injectedAny && wasProcessedBefore(original)) {
    // A later pass over a pod the operator already handled (re-invocation, or the same pod sent twice)
    // that injects nothing must change nothing. Its warnings can differ from the first pass's, because
    // the first pass changed the pod (a sidecar's mounts, say), so they are answered but not recorded.
    return { pod: original, outcomes, warnings, changed: false };
  }
  if (injectedAny) recordInjected(draft, outcomes);
  // Warnings are recorded even when nothing was injected: on a controller-made pod the annotation is
  // the only place a user can see why.
  const warningsRecorded = recordWarnings(draft, warnings);
  const changed = injectedAny || warningsRecorded;
  return { pod: changed ? draft : original, outcomes, warnings, changed };
}

/**
 * The pod as the kept injectors made it. Injectors are pure and deterministic, so running them again on a
 * fresh copy rebuilds exactly the state before the injection that was undone: this rare path replaces a
 * checkpoint copy before every injector on the admission hot path.
 */
function replay(original: Readonly<Pod>, kept: readonly Injector[], ctx: MutationContext): Pod {
  const rebuilt = structuredClone(original) as Pod;
  for (const injector of kept) injector.inject(rebuilt, ctx);
  return rebuilt;
}
