// Which `admission_inject_v2.otels` rule chooses a pod (reference §1.1, §1.2): the first matching rule that
// applies, as for `ddtraces` — one with `check_annotation: false` at once, one with `true` only when the
// pod carries `admission.datakit/otel-<language>-lib.version`. The annotation's value replaces the image
// tag; unlike upstream, a value that is not a tag (a digest, whitespace) is refused with a warning (O5).

import type { OtelV2Rule } from '../../config/v2/types.ts';
import {
  describeNoApplyingRule,
  describeRule,
  firstApplyingRule,
  type V2MatchInput,
} from '../../matching/v2-rules.ts';
import { skipped } from '../../mutation/outcomes.ts';
import type { SkippedOutcome } from '../../mutation/plan.ts';
import { isFeatureOptedOut } from '../../mutation/targeting.ts';
import type { InjectReason } from '../../mutation/types.ts';
import { isValidImageTag, replaceImageTag } from '../../podspec/image.ts';
import type { Pod } from '../../podspec/types.ts';
import { ANNOTATION_OTEL_ENABLED, FEATURE, otelVersionAnnotation } from './constants.ts';
import { otelLanguageRow, type OtelLanguageRow } from './languages.ts';

/** What to inject into a pod a rule chose. */
export interface OtelInjection {
  readonly rule: OtelV2Rule;
  readonly row: OtelLanguageRow;
  /** The rule's image with the annotation's tag, if any. */
  readonly image: string;
  readonly reason: InjectReason;
  /** Which rule chose the pod and why, for `explain`. */
  readonly detail: string;
}

export type OtelChoice =
  | { readonly chosen: true; readonly injection: OtelInjection }
  | { readonly chosen: false; readonly outcome: SkippedOutcome };

function noRuleDetail(rules: readonly OtelV2Rule[], input: V2MatchInput): string {
  return describeNoApplyingRule('admission_inject_v2.otels', rules, input, (rule) =>
    otelVersionAnnotation(rule.language),
  );
}

/** The annotation's value as an image tag: "" keeps the rule's image; anything but a plain tag is refused. */
function readTag(value: string): { ok: true; tag: string } | { ok: false } {
  if (value === '') return { ok: true, tag: '' };
  return isValidImageTag(value) ? { ok: true, tag: value } : { ok: false };
}

export function chooseOtelRule(
  pod: Readonly<Pod>,
  namespace: string,
  rules: readonly OtelV2Rule[],
): OtelChoice {
  if (isFeatureOptedOut(pod, FEATURE)) {
    const detail = `annotation ${ANNOTATION_OTEL_ENABLED} is false`;
    return { chosen: false, outcome: skipped(FEATURE, 'feature-opted-out', detail) };
  }
  const input = { namespace, labels: pod.metadata?.labels ?? {} };
  const choice = firstApplyingRule(rules, input, pod.metadata?.annotations ?? {}, (rule) =>
    otelVersionAnnotation(rule.language),
  );
  if (choice === undefined) {
    return { chosen: false, outcome: skipped(FEATURE, 'not-targeted', noRuleDetail(rules, input)) };
  }
  const { rule, why, annotation } = choice;
  const tag = annotation === undefined ? { ok: true as const, tag: '' } : readTag(annotation.value);
  if (!tag.ok) {
    const detail =
      `otel not injected: annotation ${annotation?.key}: ${JSON.stringify(annotation?.value)} is not an image tag ` +
      `(letters, digits, "_", "." and "-", at most 128 characters, no digest, no spaces); use "" for the image of ${describeRule(rule)}`;
    return { chosen: false, outcome: skipped(FEATURE, 'invalid-annotation', detail, detail) };
  }
  const reason: InjectReason =
    annotation !== undefined
      ? 'annotation'
      : rule.label_selectors.length > 0
        ? 'label-selector'
        : 'namespace';
  return {
    chosen: true,
    injection: {
      rule,
      row: otelLanguageRow(rule.language),
      image: replaceImageTag(rule.image, tag.tag),
      reason,
      detail: `rule ${describeRule(rule)}: ${why}`,
    },
  };
}
