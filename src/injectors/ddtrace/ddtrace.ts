// DDTrace APM agent injection (SPEC §6): an init container copies the agent into a shared emptyDir; each
// target container mounts it and gets the configured envs and the language variable that loads it.

import type { DdtraceConfig, DdtraceLanguage } from '../../config/types.ts';
import type { ImagePullPolicy } from '../../config/image-pull-policy.ts';
import { editPlan, injected, skipPlan, skipped } from '../../mutation/outcomes.ts';
import type { ContainerRef, Edit, Feature, FeaturePlan, RequestContext } from '../../mutation/plan.ts';
import { OTEL_INIT_CONTAINER_NAME } from '../../mutation/operator-names.ts';
import { containerAt } from '../../mutation/target-containers.ts';
import { languageFeature, type Targeted } from '../../mutation/targeting.ts';
import type { InjectReason, SkipReason } from '../../mutation/types.ts';
import {
  hasContainerNamed,
  canMount,
  copyResources,
  findInitContainer,
  findMountAt,
  hasDeviceAt,
} from '../../podspec/containers.ts';
import { buildEnvVar, configuredEnvOrder, mergeEnvs } from '../../podspec/env.ts';
import { replaceImageTag } from '../../podspec/image.ts';
import { buildRestrictedSecurityContext } from '../../podspec/security-context.ts';
import type {
  ConfiguredEnv,
  Container,
  EnvVar,
  Pod,
  ResourceRequirements,
  SecurityContext,
  VolumeMount,
} from '../../podspec/types.ts';
import { shareValue } from '../../podspec/shared-values.ts';
import { buildEmptyDirVolume, findVolume } from '../../podspec/volumes.ts';
import { FEATURE, INIT_COMMAND, INIT_CONTAINER_NAME, MOUNT_PATH, VOLUME_NAME } from './constants.ts';
import { applyLanguageVariable } from './language-variable.ts';
import { DDTRACE_LANGUAGES, languageRow, type DdtraceAgentRow } from './languages.ts';
import { selectByV2Rules } from './v2-rules.ts';

function skip(reason: SkipReason, detail: string, warning?: string): FeaturePlan {
  return skipPlan(skipped(FEATURE, reason, detail, warning));
}

// Shared by every pod (podspec/shared-values.ts): the draft copies before it writes, and the patch places
// their kept text.
const AGENT_MOUNT: VolumeMount = shareValue({ name: VOLUME_NAME, mountPath: MOUNT_PATH });
const AGENT_VOLUME = shareValue(buildEmptyDirVolume(VOLUME_NAME));

/**
 * What to inject, however the pod was chosen: by the v1 section (annotation, label selector, namespace)
 * or by a v2 rule. Everything after this point is the same for both.
 */
export interface DdtraceInjection {
  readonly row: DdtraceAgentRow;
  readonly image: string;
  readonly command: readonly string[];
  readonly envs: readonly ConfiguredEnv[];
  readonly resources: ResourceRequirements;
  /** Undefined: the init container gets none (Kubernetes' default), as v1 always did. */
  readonly imagePullPolicy: ImagePullPolicy | undefined;
  readonly reason: InjectReason;
  /** Why the pod was chosen, for `explain`. */
  readonly detail: string;
}

function buildInitContainer(injection: DdtraceInjection, securityContext: SecurityContext): Container {
  return {
    name: INIT_CONTAINER_NAME,
    image: injection.image,
    ...(injection.imagePullPolicy === undefined ? {} : { imagePullPolicy: injection.imagePullPolicy }),
    command: [...injection.command],
    volumeMounts: [AGENT_MOUNT],
    resources: copyResources(injection.resources),
    securityContext,
  };
}

/**
 * Most pods get the same init container: the one of their settings (image, pull policy, command and the
 * config's resources) with the restricted security context and no user of the pod's to copy. It is built
 * once per settings and shared. At most SHARED_INIT_CONTAINERS_PER_RESOURCES per resources object of the
 * config are kept: the image tag comes from a pod annotation, and no pod may grow this (SPEC §15).
 */
const SHARED_INIT_CONTAINERS_PER_RESOURCES = 16;
const sharedInitContainers = new WeakMap<ResourceRequirements, Map<string, Container>>();

/** Keyed by image: the pull policy and command are compared (one config gives each image one of each). */
function sameSettings(container: Container, injection: DdtraceInjection): boolean {
  const command = container.command ?? [];
  return (
    container.imagePullPolicy === injection.imagePullPolicy &&
    command.length === injection.command.length &&
    command.every((part, index) => part === injection.command[index])
  );
}

function initContainerFor(pod: Readonly<Pod>, injection: DdtraceInjection, reference: Container): Container {
  const securityContext = buildRestrictedSecurityContext(pod, reference);
  if (securityContext.runAsNonRoot !== undefined || securityContext.runAsUser !== undefined) {
    return buildInitContainer(injection, securityContext);
  }
  let shared = sharedInitContainers.get(injection.resources);
  if (shared === undefined) {
    shared = new Map();
    sharedInitContainers.set(injection.resources, shared);
  }
  const known = shared.get(injection.image);
  if (known !== undefined && sameSettings(known, injection)) return known;
  const built = buildInitContainer(injection, securityContext);
  if (known === undefined && shared.size < SHARED_INIT_CONTAINERS_PER_RESOURCES) {
    shared.set(injection.image, shareValue(built));
  }
  return built;
}

/** The edits that instrument one container. Problems go to `warnings`. */
function planContainer(
  container: Container,
  target: ContainerRef,
  injection: DdtraceInjection,
  warnings: string[],
): Edit[] {
  const edits: Edit[] = [];
  if (findMountAt(container, MOUNT_PATH) === undefined) {
    edits.push({ kind: 'add-mount', target, mount: AGENT_MOUNT });
  }
  const own = container.env ?? [];
  const merged = mergeEnvs(
    own,
    injection.envs.map((env) => buildEnvVar(env, container.name)),
    configuredEnvOrder(injection.envs),
  );
  const { row } = injection;
  let env: readonly EnvVar[] = merged.env ?? own;
  let changed = merged.env !== undefined;
  for (const variable of row.variables) {
    const language = applyLanguageVariable(env, variable);
    if (language.edit === 'value-from') {
      warnings.push(
        `container "${container.name}" defines ${variable.name} with valueFrom, so the ${row.language} agent ` +
          `cannot be added to it: set ${variable.name} to include "${variable.value}" yourself`,
      );
    }
    if (language.edit === 'added' || language.edit === 'joined') changed = true;
    env = language.env;
  }
  if (changed) edits.push({ kind: 'set-env', target, env });
  return edits;
}

/** The v1 section's injection for a pod its annotations or rules chose. */
function v1Injection(decision: Targeted<DdtraceLanguage>, config: DdtraceConfig): DdtraceInjection {
  const row = languageRow(decision.language);
  return {
    row,
    image: replaceImageTag(row.image(config.images), decision.tag ?? ''),
    command: INIT_COMMAND,
    envs: config.envs,
    resources: config.resources,
    imagePullPolicy: config.image_pull_policy,
    reason: decision.reason,
    detail: decision.detail,
  };
}

export function planDdtrace(
  pod: Readonly<Pod>,
  injection: DdtraceInjection,
  request: RequestContext,
): FeaturePlan {
  const { row, image } = injection;
  const existingInit = findInitContainer(pod, INIT_CONTAINER_NAME);

  const { targets } = request;
  if (targets.limitExceeded !== undefined) {
    const message = `ddtrace not injected: ${targets.limitExceeded}`;
    return skip('limit-exceeded', message, message);
  }
  const warnings = [...targets.warnings];
  if (targets.refs.length === 0) {
    const detail = 'the pod has no container to instrument';
    return skip('no-target-containers', detail, warnings.length > 0 ? warnings.join('; ') : undefined);
  }
  if (!existingInit) {
    const conflict = hasContainerNamed(pod, INIT_CONTAINER_NAME)
      ? `a container named "${INIT_CONTAINER_NAME}" already exists`
      : findVolume(pod, VOLUME_NAME)
        ? `a volume named "${VOLUME_NAME}" already exists`
        : undefined;
    if (conflict) {
      const message = `ddtrace not injected: ${conflict} and was not added by the operator; rename it`;
      return skip('would-break-pod', message, message);
    }
  }

  let deviceInTheWay = false;
  const instrumentable = targets.refs.filter((ref) => {
    const container = containerAt(pod, ref);
    if (hasDeviceAt(container, MOUNT_PATH)) {
      deviceInTheWay = true;
      warnings.push(
        `container "${container.name}" uses ${MOUNT_PATH} as the path of a volumeDevice: ddtrace not injected into it`,
      );
      return false;
    }
    if (canMount(container, AGENT_MOUNT)) return true;
    warnings.push(
      `container "${container.name}" already mounts another volume at ${MOUNT_PATH}: ddtrace not injected into it`,
    );
    return false;
  });
  const first = instrumentable[0];
  if (first === undefined) {
    const message = deviceInTheWay
      ? `ddtrace not injected: every target container already uses ${MOUNT_PATH} for another volume or a device`
      : `ddtrace not injected: every target container already mounts another volume at ${MOUNT_PATH}`;
    return skip('would-break-pod', message, message);
  }

  const edits: Edit[] = [];
  if (!findVolume(pod, VOLUME_NAME)) edits.push({ kind: 'add-volume', volume: AGENT_VOLUME });
  if (!existingInit) {
    const container = initContainerFor(pod, injection, containerAt(pod, first));
    edits.push({ kind: 'add-container', list: 'initContainers', container });
  }
  for (const ref of instrumentable) {
    edits.push(...planContainer(containerAt(pod, ref), ref, injection, warnings));
  }

  const installedImage = existingInit?.image ?? image;
  const summary = `${row.language}:${installedImage}`;
  if (edits.length === 0) return skip('already-injected', `already injected (${summary})`);
  const names = instrumentable.map((ref) => `"${containerAt(pod, ref).name}"`).join(', ');
  const outcome = existingInit
    ? injected(FEATURE, 'reinvocation', summary, `completed the ${row.language} agent in ${names}`, warnings)
    : injected(
        FEATURE,
        injection.reason,
        summary,
        `${row.language} agent ${installedImage} into ${names} (${injection.detail})`,
        warnings,
      );
  return editPlan(outcome, edits);
}

const v1Feature: Feature = languageFeature(
  FEATURE,
  DDTRACE_LANGUAGES,
  (config) => config.admission_inject.ddtrace,
  (pod, decision, request) =>
    planDdtrace(pod, v1Injection(decision, request.config.admission_inject.ddtrace), request),
);

/**
 * DDTrace follows the v2 `ddtraces` rules when the config has any in effect (reference §1.7: a v1 section
 * that sets images or envs overrides them, and the list is then empty), else the v1 section.
 */
export const ddtraceFeature: Feature = {
  name: FEATURE,
  select(pod, ctx) {
    const rules = ctx.config.admission_inject_v2.ddtraces;
    const selection =
      rules.length === 0
        ? v1Feature.select(pod, ctx)
        : selectByV2Rules(pod, ctx.namespace, rules, planDdtrace);
    // A pod OpenTelemetry instrumented is not DDTrace's (reference §1.5): a pod never gets both agents.
    if (!selection.selected || findInitContainer(pod, OTEL_INIT_CONTAINER_NAME) === undefined)
      return selection;
    const message = `ddtrace not injected: the pod has OpenTelemetry's init container "${OTEL_INIT_CONTAINER_NAME}", and a pod never gets both agents`;
    return { selected: false, outcome: skipped(FEATURE, 'other-tracer', message, message) };
  },
};
