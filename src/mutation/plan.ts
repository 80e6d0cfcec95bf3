// The plan model (ARCHITECTURE §4 rule 2): a feature never edits the pod. It reads the pod and answers
// either a skip or a plan — an outcome plus a list of declarative edits — and one applier checks every
// plan against the pod invariants, applies the plans that keep the pod valid, and derives the patch.
// A new feature (v2 rules, PHP, OTel, flameshot) is one more planner; the edits and the applier stay.

import type { Container, EnvVar, Pod, Volume, VolumeMount } from '../podspec/types.ts';
import type { OperatorConfig } from '../config/types.ts';
import type { FeatureName, MutationContext, Outcome } from './types.ts';

/** The two container lists a plan may add to or edit: app containers and init containers. */
export type ContainerList = 'containers' | 'initContainers';

/** A container of the pod by list and index. Lists only grow during a mutation, so an index stays valid. */
export interface ContainerRef {
  readonly list: ContainerList;
  readonly index: number;
}

/** The pod-level fields a plan may set (besides containers and volumes). */
export type PodSpecField = 'shareProcessNamespace';

export type Edit =
  | { readonly kind: 'add-volume'; readonly volume: Volume }
  /** Appends a container (a native sidecar is an init container with `restartPolicy: Always`). */
  | { readonly kind: 'add-container'; readonly list: ContainerList; readonly container: Container }
  | { readonly kind: 'add-mount'; readonly target: ContainerRef; readonly mount: VolumeMount }
  /**
   * The container's whole env list as the feature computed it from the current one: the same entries
   * (the user's, untouched, by reference) plus the injected ones, in the order `$(VAR)` expansion needs.
   */
  | { readonly kind: 'set-env'; readonly target: ContainerRef; readonly env: readonly EnvVar[] }
  | { readonly kind: 'set-spec-field'; readonly field: PodSpecField; readonly value: boolean }
  /** Sets a pod annotation (e.g. upstream's `datakit/logs`); the operator's status annotations are not edits. */
  | { readonly kind: 'set-annotation'; readonly key: string; readonly value: string };

export type InjectedOutcome = Extract<Outcome, { status: 'injected' }>;
export type SkippedOutcome = Extract<Outcome, { status: 'skipped' }>;

export type FeaturePlan =
  | { readonly kind: 'skip'; readonly outcome: SkippedOutcome }
  | { readonly kind: 'plan'; readonly outcome: InjectedOutcome; readonly edits: readonly Edit[] };

/** Which containers the features instrument: computed once per request and shared by every feature. */
export interface TargetContainers {
  /** Indexes into `spec.containers` of the original pod (the operator's sidecars are never targets). */
  readonly refs: readonly ContainerRef[];
  /** Problems with the container-names annotation, for the user. */
  readonly warnings: readonly string[];
  /** Set when the pod exceeds a per-pod limit that stops every feature that needs target containers. */
  readonly limitExceeded?: string;
}

/** What every planner of one request shares: the context and the decisions made once for the pod. */
export interface RequestContext extends MutationContext {
  readonly targets: TargetContainers;
}

/**
 * A feature's cheap first step: whether the pod asks for it (opt-outs, annotations, label selectors,
 * namespace rules), without scanning the spec. Unselected pods take the fast path: no copy, no diff.
 */
export type Selection =
  | { readonly selected: false; readonly outcome: SkippedOutcome }
  | {
      readonly selected: true;
      /** Plans against `pod`, the pod as the features before this one left it. Pure: never edits `pod`. */
      readonly plan: (pod: Readonly<Pod>, request: RequestContext) => FeaturePlan;
    };

export interface Feature {
  readonly name: FeatureName;
  /**
   * For a feature that exists only when its config has rules (upstream's `admission_mutate.loggings`):
   * without them it takes no part in the request and reports no outcome, so decisions stay as before.
   */
  readonly configured?: (config: OperatorConfig) => boolean;
  select(pod: Readonly<Pod>, ctx: MutationContext): Selection;
}
