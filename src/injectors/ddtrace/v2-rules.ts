// DDTrace chosen by `admission_inject_v2.ddtraces` (reference §1.6, §2): the first matching rule that
// applies — one with `check_annotation: false` at once, one with `true` only when the pod carries
// `admission.datakit/<language>-lib.version`, whose non-empty value replaces the image tag.

import type { DdtraceV2Rule } from '../../config/v2/types.ts';
import { skipped } from '../../mutation/outcomes.ts';
import type { FeaturePlan, RequestContext, Selection } from '../../mutation/plan.ts';
import { isFeatureOptedOut } from '../../mutation/targeting.ts';
import { featureEnabledAnnotation } from '../../mutation/operator-names.ts';
import {
  describeNoApplyingRule,
  describeRule,
  firstApplyingRule,
  type V2MatchInput,
} from '../../matching/v2-rules.ts';
import { isValidImageTag, replaceImageTag } from '../../podspec/image.ts';
import type { Pod } from '../../podspec/types.ts';
import { FEATURE, v2VersionAnnotation } from './constants.ts';
import type { DdtraceInjection } from './ddtrace.ts';
import { agentRow } from './languages.ts';

function noRuleDetail(rules: readonly DdtraceV2Rule[], input: V2MatchInput): string {
  return describeNoApplyingRule('admission_inject_v2.ddtraces', rules, input, (rule) =>
    v2VersionAnnotation(rule.language),
  );
}

type Planner = (pod: Readonly<Pod>, injection: DdtraceInjection, request: RequestContext) => FeaturePlan;

export function selectByV2Rules(
  pod: Readonly<Pod>,
  namespace: string,
  rules: readonly DdtraceV2Rule[],
  plan: Planner,
): Selection {
  if (isFeatureOptedOut(pod, FEATURE)) {
    const detail = `annotation ${featureEnabledAnnotation(FEATURE)} is false`;
    return { selected: false, outcome: skipped(FEATURE, 'feature-opted-out', detail) };
  }
  const input = { namespace, labels: pod.metadata?.labels ?? {} };
  const choice = firstApplyingRule(rules, input, pod.metadata?.annotations ?? {}, (rule) =>
    v2VersionAnnotation(rule.language),
  );
  if (choice === undefined) {
    return { selected: false, outcome: skipped(FEATURE, 'not-targeted', noRuleDetail(rules, input)) };
  }
  const { rule, why, annotation } = choice;
  const tag = annotation?.value.trim() ?? '';
  if (annotation !== undefined && tag !== '' && !isValidImageTag(tag)) {
    const detail = `annotation ${annotation.key}: "${annotation.value}" is not a valid image tag (letters, digits, "_", "." and "-", at most 128 characters); use "" for the image of ${describeRule(rule)}`;
    return { selected: false, outcome: skipped(FEATURE, 'invalid-annotation', detail, detail) };
  }
  const row = agentRow(rule.language);
  const injection: DdtraceInjection = {
    row,
    image: replaceImageTag(rule.image, tag),
    command: row.command(rule.php_loader_flavor),
    envs: rule.envs,
    resources: rule.resources,
    imagePullPolicy: rule.image_pull_policy,
    reason:
      annotation !== undefined
        ? 'annotation'
        : rule.label_selectors.length > 0
          ? 'label-selector'
          : 'namespace',
    detail: `rule ${describeRule(rule)}: ${why}`,
  };
  return { selected: true, plan: (draft, request) => plan(draft, injection, request) };
}
