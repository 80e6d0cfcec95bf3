// Who gets a feature: the opt-out annotations, then annotation → label selector → namespace (SPEC §4).
// Pure decisions shared by the injectors that are chosen by language (ddtrace, profiler).

import type { LabelSelectorRule, NamespaceRule, OperatorConfig } from '../config/types.ts';
import { getAnnotation, isAnnotationFalse } from '../podspec/annotations.ts';
import { isValidImageTag } from '../podspec/image.ts';
import type { Pod } from '../podspec/types.ts';
import { ANNOTATION_ENABLED, featureEnabledAnnotation } from './operator-names.ts';
import { skipped } from './outcomes.ts';
import type { Feature, FeaturePlan, RequestContext, Selection } from './plan.ts';
import type { FeatureName, InjectReason, SkipReason } from './types.ts';

export function isPodOptedOut(pod: Pod): boolean {
  return isAnnotationFalse(pod.metadata?.annotations, ANNOTATION_ENABLED);
}

export function isFeatureOptedOut(pod: Pod, feature: FeatureName): boolean {
  return isAnnotationFalse(pod.metadata?.annotations, featureEnabledAnnotation(feature));
}

/** One language and the annotation keys that select it, in the order they are checked. */
export interface LanguageAnnotation<L extends string> {
  readonly language: L;
  readonly annotationKeys: readonly string[];
}

export type TargetDecision<L extends string> =
  | {
      readonly kind: 'target';
      readonly language: L;
      /** The image tag asked for by the annotation; undefined means the configured image as it is. */
      readonly tag: string | undefined;
      readonly reason: InjectReason;
      /** Which annotation, selector or namespace pattern decided, for `explain` and logs. */
      readonly detail: string;
    }
  | { readonly kind: 'none'; readonly detail: string }
  | { readonly kind: 'invalid'; readonly detail: string };

export interface TargetRules<L extends string> {
  readonly annotations: readonly LanguageAnnotation<L>[];
  readonly labelSelectors: readonly LabelSelectorRule<L>[];
  readonly namespaces: readonly NamespaceRule<L>[];
}

/** First hit wins: a version annotation, then the first matching label selector, then namespace. */
export function resolveTarget<L extends string>(
  pod: Pod,
  namespace: string,
  rules: TargetRules<L>,
): TargetDecision<L> {
  for (const { language, annotationKeys } of rules.annotations) {
    for (const key of annotationKeys) {
      const tag = getAnnotation(pod, key);
      if (tag === undefined) continue;
      const trimmed = tag.trim();
      if (trimmed !== '' && !isValidImageTag(trimmed)) {
        return {
          kind: 'invalid',
          detail: `annotation ${key}: "${tag}" is not a valid image tag (letters, digits, "_", "." and "-", at most 128 characters); use "" for the configured image`,
        };
      }
      return {
        kind: 'target',
        language,
        tag: trimmed === '' ? undefined : trimmed,
        reason: 'annotation',
        detail: `annotation ${key}: "${tag}"`,
      };
    }
  }
  const labels = pod.metadata?.labels ?? {};
  const bySelector = rules.labelSelectors.find((rule) => rule.selector.matches(labels));
  if (bySelector) {
    return {
      kind: 'target',
      language: bySelector.language,
      tag: undefined,
      reason: 'label-selector',
      detail: `label selector "${bySelector.labelselector}" matches the pod's labels`,
    };
  }
  const byNamespace = rules.namespaces.find((rule) => rule.pattern.matches(namespace));
  if (byNamespace) {
    return {
      kind: 'target',
      language: byNamespace.language,
      tag: undefined,
      reason: 'namespace',
      detail: `namespace pattern "${byNamespace.namespace}" matches namespace "${namespace}"`,
    };
  }
  return {
    kind: 'none',
    detail: `no version annotation, no matching label selector (${rules.labelSelectors.length} configured) and no matching namespace pattern (${rules.namespaces.length} configured) for namespace "${namespace}"`,
  };
}

/** A feature chosen for the pod: which language, why, and the image tag an annotation asked for. */
export type Targeted<L extends string> = Extract<TargetDecision<L>, { kind: 'target' }>;

export type FeatureTarget<L extends string> =
  | Targeted<L>
  | {
      readonly kind: 'skip';
      readonly reason: SkipReason;
      readonly detail: string;
      readonly warning?: string;
    };

/**
 * The shared first steps of a feature chosen by language: its opt-out annotation, then `resolveTarget`.
 * An invalid version annotation is a skip the user is warned about.
 */
export function resolveFeatureTarget<L extends string>(
  pod: Pod,
  feature: FeatureName,
  namespace: string,
  rules: TargetRules<L>,
): FeatureTarget<L> {
  if (isFeatureOptedOut(pod, feature)) {
    return {
      kind: 'skip',
      reason: 'feature-opted-out',
      detail: `annotation ${featureEnabledAnnotation(feature)} is false`,
    };
  }
  const decision = resolveTarget(pod, namespace, rules);
  if (decision.kind === 'none') return { kind: 'skip', reason: 'not-targeted', detail: decision.detail };
  if (decision.kind === 'invalid') {
    return { kind: 'skip', reason: 'invalid-annotation', detail: decision.detail, warning: decision.detail };
  }
  return decision;
}

/**
 * The selection of a feature chosen by language (ddtrace, profiler): `resolveFeatureTarget`, then the
 * planner gets the target it decided.
 */
function selectByLanguage<L extends string>(
  pod: Pod,
  feature: FeatureName,
  namespace: string,
  rules: TargetRules<L>,
  plan: (draft: Readonly<Pod>, target: Targeted<L>, request: RequestContext) => FeaturePlan,
): Selection {
  const decision = resolveFeatureTarget(pod, feature, namespace, rules);
  if (decision.kind === 'skip') {
    return { selected: false, outcome: skipped(feature, decision.reason, decision.detail, decision.warning) };
  }
  return { selected: true, plan: (draft, request) => plan(draft, decision, request) };
}

/** The part of a language feature's config section that chooses pods without an annotation. */
export interface LanguageRuleConfig<L extends string> {
  readonly enabled_labelselectors: readonly LabelSelectorRule<L>[];
  readonly enabled_namespaces: readonly NamespaceRule<L>[];
}

/** A feature chosen by language (ddtrace, profiler): its annotations, then its config's selector rules. */
export function languageFeature<L extends string>(
  name: FeatureName,
  annotations: readonly LanguageAnnotation<L>[],
  rulesOf: (config: OperatorConfig) => LanguageRuleConfig<L>,
  plan: (draft: Readonly<Pod>, target: Targeted<L>, request: RequestContext) => FeaturePlan,
): Feature {
  return {
    name,
    select(pod, ctx) {
      const config = rulesOf(ctx.config);
      const rules = {
        annotations,
        labelSelectors: config.enabled_labelselectors,
        namespaces: config.enabled_namespaces,
      };
      return selectByLanguage(pod, name, ctx.namespace, rules, plan);
    },
  };
}
