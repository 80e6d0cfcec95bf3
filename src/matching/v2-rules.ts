// How an `admission_inject_v2` rule chooses pods (upstream 1.7+, reference §1.4 and §1.6), in one place so
// every v2 planner — ddtraces, logfwds, flameshots, profilers and later otels — matches the same way:
//
// - a rule has a namespace dimension and a label dimension; within one, any entry may match (OR);
// - a configured dimension must match; when both are configured both must (AND);
// - a rule with neither dimension never matches;
// - namespace patterns are anchored (unlike upstream, where `default` also hit `my-default-ns`), `*` = all.
//
// Two ways to choose among the rules of a list, both in array order:
// - first match (logfwds, flameshots, profilers): the first matching rule is the rule; no fallback;
// - annotated match (ddtraces, otels): the first matching rule whose `check_annotation` condition holds.

import type { LabelSelector } from './selectors.ts';
import type { NamespacePattern } from './namespace-pattern.ts';

/** The part of every v2 rule that decides which pods it applies to. */
export interface V2RuleTarget {
  /** Where the rule sits in the config, e.g. `admission_inject_v2.ddtraces[0]`, for messages. */
  readonly path: string;
  /** The rule's `name` (only for people: logs, `explain`). */
  readonly name: string;
  readonly namespace_selectors: readonly NamespacePattern[];
  readonly label_selectors: readonly LabelSelector[];
}

/** A rule that may require an annotation on the pod before it applies (ddtraces, logfwds, profilers, otels). */
export interface V2AnnotatedRuleTarget extends V2RuleTarget {
  readonly check_annotation: boolean;
}

/** The pod facts a rule is matched against. */
export interface V2MatchInput {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** How a rule is named in messages: its path, and its name when it has one. */
export function describeRule(rule: V2RuleTarget): string {
  return rule.name === '' ? rule.path : `${rule.path} ("${rule.name}")`;
}

/** Whether a rule can ever match: a rule with no selector at all never does (upstream 1.7.1+). */
export function hasSelectors(rule: V2RuleTarget): boolean {
  return rule.namespace_selectors.length > 0 || rule.label_selectors.length > 0;
}

/** Why the rule matches the pod, or undefined when it does not. */
export function matchRule(rule: V2RuleTarget, input: V2MatchInput): string | undefined {
  if (!hasSelectors(rule)) return undefined;
  const reasons: string[] = [];
  if (rule.namespace_selectors.length > 0) {
    const hit = rule.namespace_selectors.find((pattern) => pattern.matches(input.namespace));
    if (hit === undefined) return undefined;
    reasons.push(`namespace "${input.namespace}" matches "${hit.source}"`);
  }
  if (rule.label_selectors.length > 0) {
    const hit = rule.label_selectors.find((selector) => selector.matches(input.labels));
    if (hit === undefined) return undefined;
    reasons.push(`the pod's labels match "${hit.source}"`);
  }
  return reasons.join(' and ');
}

export interface RuleChoice<R> {
  readonly rule: R;
  /** Which selectors matched, for `explain`. */
  readonly why: string;
}

/** The first rule that matches the pod (logfwds, flameshots, profilers). */
export function firstMatchingRule<R extends V2RuleTarget>(
  rules: readonly R[],
  input: V2MatchInput,
): RuleChoice<R> | undefined {
  for (const rule of rules) {
    const why = matchRule(rule, input);
    if (why !== undefined) return { rule, why };
  }
  return undefined;
}

export interface AnnotatedRuleChoice<R> extends RuleChoice<R> {
  /** The required annotation's value when the rule has `check_annotation: true`. */
  readonly annotation?: { readonly key: string; readonly value: string };
}

/**
 * The first matching rule that applies (ddtraces, otels): one with `check_annotation: false` applies at
 * once; one with `true` applies only when the pod carries the annotation `annotationKey(rule)`, otherwise
 * the next matching rule is tried (upstream 1.8.8+, #91).
 */
export function firstApplyingRule<R extends V2AnnotatedRuleTarget>(
  rules: readonly R[],
  input: V2MatchInput,
  annotations: Readonly<Record<string, string>>,
  annotationKey: (rule: R) => string,
): AnnotatedRuleChoice<R> | undefined {
  for (const rule of rules) {
    const why = matchRule(rule, input);
    if (why === undefined) continue;
    if (!rule.check_annotation) return { rule, why };
    const key = annotationKey(rule);
    const value = Object.hasOwn(annotations, key) ? annotations[key] : undefined;
    if (value !== undefined)
      return { rule, why: `${why} and the pod has ${key}`, annotation: { key, value } };
  }
  return undefined;
}

/**
 * Why `firstApplyingRule` found nothing, for `explain` and the skip detail: no rule of `list` matches, or
 * the ones that match have `check_annotation: true` and the pod lacks their annotation.
 */
export function describeNoApplyingRule<R extends V2AnnotatedRuleTarget>(
  list: string,
  rules: readonly R[],
  input: V2MatchInput,
  annotationKey: (rule: R) => string,
): string {
  const waiting = rules.filter((rule) => matchRule(rule, input) !== undefined);
  const where = `namespace "${input.namespace}" and the pod's labels`;
  if (waiting.length === 0) {
    return `no ${list} rule matches ${where} (${rules.length} configured)`;
  }
  const needs = waiting
    .map((rule) => `${describeRule(rule)} needs annotation ${annotationKey(rule)}`)
    .join('; ');
  return `the ${list} rules that match ${where} have check_annotation: true and the pod lacks their annotation: ${needs}`;
}

function coversDimension<T extends { readonly source: string }>(
  earlier: readonly T[],
  later: readonly T[],
  everything?: string,
): boolean {
  if (earlier.length === 0) return true;
  if (later.length === 0) return false;
  const sources = new Set(earlier.map((entry) => entry.source));
  if (everything !== undefined && sources.has(everything)) return true;
  return later.every((entry) => sources.has(entry.source));
}

/**
 * Whether every pod `later` matches is also matched by `earlier` — judged from the selector texts, so it
 * may miss a shadow (two different regexes with the same meaning) but never reports a false one.
 */
export function selectorsCover(earlier: V2RuleTarget, later: V2RuleTarget): boolean {
  if (!hasSelectors(earlier) || !hasSelectors(later)) return false;
  return (
    coversDimension(earlier.namespace_selectors, later.namespace_selectors, '*') &&
    coversDimension(earlier.label_selectors, later.label_selectors)
  );
}

/**
 * For each rule that an earlier rule always takes precedence over, the index of that earlier rule.
 * `appliesWhenever(earlier, later)`: whenever both match, `earlier` is chosen (always true for a
 * first-match list; for an annotated list, when `earlier` needs no annotation or the same one).
 */
export function findShadowedRules<R extends V2RuleTarget>(
  rules: readonly R[],
  appliesWhenever: (earlier: R, later: R) => boolean,
): { readonly shadowed: number; readonly by: number }[] {
  const found: { shadowed: number; by: number }[] = [];
  for (const [j, later] of rules.entries()) {
    const by = rules
      .slice(0, j)
      .findIndex((earlier) => selectorsCover(earlier, later) && appliesWhenever(earlier, later));
    if (by >= 0) found.push({ shadowed: j, by });
  }
  return found;
}
