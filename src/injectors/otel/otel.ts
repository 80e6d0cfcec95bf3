// OpenTelemetry auto-instrumentation (reference §1): an init container copies the OpenTelemetry operator's
// agent for the rule's language into a shared emptyDir; every target container mounts it, gets the
// variable that loads the agent and then the rule's envs. Every check runs before the first edit is
// planned, so a skipped pod is left exactly as it came, and every skip is told to the user.

import { editPlan, injected, skipPlan, skipped } from '../../mutation/outcomes.ts';
import type { ContainerRef, Edit, Feature, FeaturePlan, RequestContext } from '../../mutation/plan.ts';
import { containerAt } from '../../mutation/target-containers.ts';
import type { SkipReason } from '../../mutation/types.ts';
import { copyResources, findInitContainer, findMountAt } from '../../podspec/containers.ts';
import { mergeEnvs } from '../../podspec/env.ts';
import { buildRuleEnvs } from '../../podspec/rule-envs.ts';
import { buildRestrictedSecurityContext } from '../../podspec/security-context.ts';
import type { Container, EnvVar, Pod, SecurityContext } from '../../podspec/types.ts';
import { buildEmptyDirVolume, findVolume } from '../../podspec/volumes.ts';
import { describeRule } from '../../matching/v2-rules.ts';
import { containerMountConflict, ddtraceInPod, podConflict, runsAsRootWhileForbidden } from './checks.ts';
import { FEATURE, INIT_CONTAINER_NAME, VOLUME_NAME } from './constants.ts';
import { planLanguageVariable } from './language-variable.ts';
import { chooseOtelRule, type OtelInjection } from './selection.ts';

/** The reason string upstream logs for the runAsNonRoot skip, kept so that log searches still find it. */
const RUN_AS_NON_ROOT_REASON = 'run_as_non_root_without_run_as_user';

function skip(reason: SkipReason, problem: string): FeaturePlan {
  const message = `otel not injected: ${problem}`;
  return skipPlan(skipped(FEATURE, reason, message, message));
}

/**
 * Like DDTrace's, the init container gets a restricted securityContext with the identity of the first
 * *target* container (or the pod's), not a copy of the first container's whole securityContext (O2).
 */
function buildInitContainer(injection: OtelInjection, securityContext: SecurityContext): Container {
  const { rule, row, image } = injection;
  return {
    name: INIT_CONTAINER_NAME,
    image,
    imagePullPolicy: rule.image_pull_policy,
    command: [...row.command],
    volumeMounts: [{ name: VOLUME_NAME, mountPath: row.mountPath }],
    resources: copyResources(rule.resources),
    securityContext,
  };
}

function podLabel(pod: Readonly<Pod>, namespace: string): string {
  const name = pod.metadata?.name || `${pod.metadata?.generateName ?? ''}*`;
  return `pod=${name} namespace=${namespace}`;
}

/** The container's env list with the language variable and then the rule's envs (the user's win). */
function containerEnv(
  container: Container,
  start: readonly EnvVar[],
  injection: OtelInjection,
): readonly EnvVar[] {
  const { envs, order } = buildRuleEnvs(injection.rule.envs, container);
  return mergeEnvs(start, envs, order).env ?? start;
}

export function planOtel(pod: Readonly<Pod>, injection: OtelInjection, request: RequestContext): FeaturePlan {
  const { targets, namespace } = request;
  const { rule, row, image } = injection;
  if (targets.limitExceeded !== undefined) return skip('limit-exceeded', targets.limitExceeded);
  if (targets.refs.length === 0) {
    const why = targets.warnings.length > 0 ? ` (${targets.warnings.join('; ')})` : '';
    return skip('no-target-containers', `the pod has no container to instrument${why}`);
  }
  const refs: readonly ContainerRef[] = targets.refs;
  const containers = refs.map((ref) => containerAt(pod, ref));
  const securityContext = buildRestrictedSecurityContext(pod, containers[0]);
  if (runsAsRootWhileForbidden(securityContext)) {
    return skip(
      'would-break-pod',
      `reason=${RUN_AS_NON_ROOT_REASON} ${podLabel(pod, namespace)} rule=${describeRule(rule)} ` +
        `language=${row.language} image=${image}: the pod requires runAsNonRoot but sets no non-root ` +
        'runAsUser for the init container to use; set runAsUser (pod or first instrumented container)',
    );
  }
  const ddtrace = ddtraceInPod(pod, containers);
  if (ddtrace !== undefined) {
    return skip('other-tracer', `${ddtrace}, and a pod never gets both DDTrace and OpenTelemetry`);
  }
  const desiredInit = buildInitContainer(injection, securityContext);
  const conflict =
    podConflict(pod, desiredInit) ??
    containers
      .map((container) => containerMountConflict(container, row.mountPath))
      .find((c) => c !== undefined);
  if (conflict !== undefined) return skip('would-break-pod', conflict);

  const envEdits: Edit[] = [];
  for (const [index, container] of containers.entries()) {
    const own = container.env ?? [];
    const language = planLanguageVariable(own, row);
    if (language.kind === 'conflict') {
      const problem = `container "${container.name}": ${language.problem}`;
      return language.ddtrace
        ? skip('other-tracer', `${problem}, and a pod never gets both DDTrace and OpenTelemetry`)
        : skip('would-break-pod', problem);
    }
    const env = containerEnv(container, language.kind === 'set' ? language.env : own, injection);
    if (env !== own) envEdits.push({ kind: 'set-env', target: refs[index] as ContainerRef, env });
  }

  const existingInit = findInitContainer(pod, INIT_CONTAINER_NAME);
  const edits: Edit[] = [];
  if (!findVolume(pod, VOLUME_NAME))
    edits.push({ kind: 'add-volume', volume: buildEmptyDirVolume(VOLUME_NAME) });
  if (!existingInit) edits.push({ kind: 'add-container', list: 'initContainers', container: desiredInit });
  for (const [index, container] of containers.entries()) {
    if (findMountAt(container, row.mountPath) !== undefined) continue;
    const mount = { name: VOLUME_NAME, mountPath: row.mountPath };
    edits.push({ kind: 'add-mount', target: refs[index] as ContainerRef, mount });
  }
  edits.push(...envEdits);

  const summary = `${row.language}:${image}`;
  if (edits.length === 0)
    return skipPlan(skipped(FEATURE, 'already-injected', `already injected (${summary})`));
  const names = containers.map((container) => `"${container.name}"`).join(', ');
  const outcome = existingInit
    ? injected(
        FEATURE,
        'reinvocation',
        summary,
        `completed the OpenTelemetry ${row.language} agent in ${names}`,
        targets.warnings,
      )
    : injected(
        FEATURE,
        injection.reason,
        summary,
        `OpenTelemetry ${row.language} agent ${image} into ${names} (${injection.detail})`,
        targets.warnings,
      );
  return editPlan(outcome, edits);
}

/**
 * OpenTelemetry takes part only when `admission_inject_v2.otels` has rules (upstream ships `[]`). The
 * priority against DDTrace is the registry's (tracer-precedence.ts); this feature also refuses a pod
 * that already has DDTrace in it.
 */
export const otelFeature: Feature = {
  name: FEATURE,
  configured: (config) => config.admission_inject_v2.otels.length > 0,
  select(pod, ctx) {
    const choice = chooseOtelRule(pod, ctx.namespace, ctx.config.admission_inject_v2.otels);
    if (!choice.chosen) return { selected: false, outcome: choice.outcome };
    return { selected: true, plan: (draft, request) => planOtel(draft, choice.injection, request) };
  },
};
