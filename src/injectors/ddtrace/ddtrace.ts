// DDTrace APM agent injection (SPEC §6): an init container copies the agent into a shared emptyDir; each
// target container mounts it and gets the configured envs and the language variable that loads it.

import type { DdtraceConfig, DdtraceLanguage } from '../../config/types.ts';
import { editPlan, injected, skipPlan, skipped } from '../../mutation/outcomes.ts';
import type { ContainerRef, Edit, Feature, FeaturePlan, RequestContext } from '../../mutation/plan.ts';
import { containerAt } from '../../mutation/target-containers.ts';
import { languageFeature, type Targeted } from '../../mutation/targeting.ts';
import type { SkipReason } from '../../mutation/types.ts';
import {
  allContainerNames,
  canMount,
  copyResources,
  findInitContainer,
  findMountAt,
  hasDeviceAt,
} from '../../podspec/containers.ts';
import { buildEnvVar, configuredEnvOrder, mergeEnvs } from '../../podspec/env.ts';
import { replaceImageTag } from '../../podspec/image.ts';
import { buildRestrictedSecurityContext } from '../../podspec/security-context.ts';
import type { Container, Pod, VolumeMount } from '../../podspec/types.ts';
import { buildEmptyDirVolume, findVolume } from '../../podspec/volumes.ts';
import { FEATURE, INIT_COMMAND, INIT_CONTAINER_NAME, MOUNT_PATH, VOLUME_NAME } from './constants.ts';
import { applyLanguageVariable } from './language-variable.ts';
import { DDTRACE_LANGUAGES, languageRow, type DdtraceLanguageRow } from './languages.ts';

function skip(reason: SkipReason, detail: string, warning?: string): FeaturePlan {
  return skipPlan(skipped(FEATURE, reason, detail, warning));
}

const AGENT_MOUNT: VolumeMount = { name: VOLUME_NAME, mountPath: MOUNT_PATH };

function buildInitContainer(
  pod: Readonly<Pod>,
  image: string,
  config: DdtraceConfig,
  reference: Container,
): Container {
  return {
    name: INIT_CONTAINER_NAME,
    image,
    command: [...INIT_COMMAND],
    volumeMounts: [{ ...AGENT_MOUNT }],
    resources: copyResources(config.resources),
    securityContext: buildRestrictedSecurityContext(pod, reference),
  };
}

/** The edits that instrument one container. Problems go to `warnings`. */
function planContainer(
  container: Container,
  target: ContainerRef,
  row: DdtraceLanguageRow,
  config: DdtraceConfig,
  warnings: string[],
): Edit[] {
  const edits: Edit[] = [];
  if (findMountAt(container, MOUNT_PATH) === undefined) {
    edits.push({ kind: 'add-mount', target, mount: { ...AGENT_MOUNT } });
  }
  const own = container.env ?? [];
  const merged = mergeEnvs(
    own,
    config.envs.map((env) => buildEnvVar(env, container.name)),
    configuredEnvOrder(config.envs),
  );
  const language = applyLanguageVariable(merged.env ?? own, row.variable);
  if (language.edit === 'value-from') {
    warnings.push(
      `container "${container.name}" defines ${row.variable.name} with valueFrom, so the ${row.language} agent ` +
        `cannot be added to it: set ${row.variable.name} to include "${row.variable.value}" yourself`,
    );
  }
  if (merged.env !== undefined || language.edit === 'added' || language.edit === 'joined') {
    edits.push({ kind: 'set-env', target, env: language.env });
  }
  return edits;
}

function plan(pod: Readonly<Pod>, decision: Targeted<DdtraceLanguage>, request: RequestContext): FeaturePlan {
  const config = request.config.admission_inject.ddtrace;
  const row = languageRow(decision.language);
  const image = replaceImageTag(row.image(config.images), decision.tag ?? '');
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
    const conflict = allContainerNames(pod).has(INIT_CONTAINER_NAME)
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
  if (!findVolume(pod, VOLUME_NAME))
    edits.push({ kind: 'add-volume', volume: buildEmptyDirVolume(VOLUME_NAME) });
  if (!existingInit) {
    const container = buildInitContainer(pod, image, config, containerAt(pod, first));
    edits.push({ kind: 'add-container', list: 'initContainers', container });
  }
  for (const ref of instrumentable) {
    edits.push(...planContainer(containerAt(pod, ref), ref, row, config, warnings));
  }

  const installedImage = existingInit?.image ?? image;
  const summary = `${row.language}:${installedImage}`;
  if (edits.length === 0) return skip('already-injected', `already injected (${summary})`);
  const names = instrumentable.map((ref) => `"${containerAt(pod, ref).name}"`).join(', ');
  const outcome = existingInit
    ? injected(FEATURE, 'reinvocation', summary, `completed the ${row.language} agent in ${names}`, warnings)
    : injected(
        FEATURE,
        decision.reason,
        summary,
        `${row.language} agent ${installedImage} into ${names} (${decision.detail})`,
        warnings,
      );
  return editPlan(outcome, edits);
}

export const ddtraceFeature: Feature = languageFeature(
  FEATURE,
  DDTRACE_LANGUAGES,
  (config) => config.admission_inject.ddtrace,
  plan,
);
