// DDTrace APM agent injection (SPEC §6): an init container copies the agent into a shared emptyDir; each
// target container mounts it and gets the configured envs and the language variable that loads it.

import type { DdtraceConfig } from '../../config/types.ts';
import { injected, skipped } from '../../mutation/outcomes.ts';
import { resolveTargetContainers } from '../../mutation/target-containers.ts';
import { resolveFeatureTarget } from '../../mutation/targeting.ts';
import type { Injector, MutationContext, Outcome, SkipReason } from '../../mutation/types.ts';
import {
  addVolumeMountIfAbsent,
  allContainerNames,
  canMount,
  ensureSpec,
  findInitContainer,
} from '../../podspec/containers.ts';
import { addEnvsIfAbsent, buildEnvVar } from '../../podspec/env.ts';
import { replaceImageTag } from '../../podspec/image.ts';
import { buildRestrictedSecurityContext } from '../../podspec/security-context.ts';
import type { Container, Pod, VolumeMount } from '../../podspec/types.ts';
import { addVolumeIfAbsent, buildEmptyDirVolume, findVolume } from '../../podspec/volumes.ts';
import { FEATURE, INIT_COMMAND, INIT_CONTAINER_NAME, MOUNT_PATH, VOLUME_NAME } from './constants.ts';
import { applyLanguageVariable } from './language-variable.ts';
import { DDTRACE_LANGUAGES, languageRow, type DdtraceLanguageRow } from './languages.ts';

function outcomeSkip(reason: SkipReason, detail: string, warning?: string): Outcome {
  return skipped(FEATURE, reason, detail, warning);
}

const AGENT_MOUNT: VolumeMount = { name: VOLUME_NAME, mountPath: MOUNT_PATH };

function buildInitContainer(pod: Pod, image: string, config: DdtraceConfig, reference: Container): Container {
  return {
    name: INIT_CONTAINER_NAME,
    image,
    command: [...INIT_COMMAND],
    volumeMounts: [{ ...AGENT_MOUNT }],
    resources: structuredClone(config.resources),
    securityContext: buildRestrictedSecurityContext(pod, reference),
  };
}

/** Edits one container; returns whether anything changed. Problems go to `warnings`. */
function instrumentContainer(
  container: Container,
  row: DdtraceLanguageRow,
  config: DdtraceConfig,
  warnings: string[],
): boolean {
  let changed = addVolumeMountIfAbsent(container, { ...AGENT_MOUNT }) === 'added';
  const envs = config.envs.map((env) => buildEnvVar(env, container.name));
  if (addEnvsIfAbsent(container, envs).length > 0) changed = true;
  const edit = applyLanguageVariable(container, row.variable);
  if (edit === 'value-from') {
    warnings.push(
      `container "${container.name}" defines ${row.variable.name} with valueFrom, so the ${row.language} agent ` +
        `cannot be added to it: set ${row.variable.name} to include "${row.variable.value}" yourself`,
    );
  }
  return changed || edit === 'added' || edit === 'joined';
}

function inject(draft: Pod, ctx: MutationContext): Outcome {
  const config = ctx.config.admission_inject.ddtrace;
  const decision = resolveFeatureTarget(draft, FEATURE, ctx.namespace, {
    annotations: DDTRACE_LANGUAGES,
    labelSelectors: config.enabled_labelselectors,
    namespaces: config.enabled_namespaces,
  });
  if (decision.kind === 'skip') return outcomeSkip(decision.reason, decision.detail, decision.warning);

  const row = languageRow(decision.language);
  const image = replaceImageTag(row.image(config.images), decision.tag ?? '');
  const existingInit = findInitContainer(draft, INIT_CONTAINER_NAME);

  const targets = resolveTargetContainers(draft);
  const warnings = [...targets.warnings];
  if (targets.containers.length === 0) {
    const detail = 'the pod has no container to instrument';
    return outcomeSkip('no-target-containers', detail, warnings.length > 0 ? warnings.join('; ') : undefined);
  }
  if (!existingInit) {
    const conflict = allContainerNames(draft).has(INIT_CONTAINER_NAME)
      ? `a container named "${INIT_CONTAINER_NAME}" already exists`
      : findVolume(draft, VOLUME_NAME)
        ? `a volume named "${VOLUME_NAME}" already exists`
        : undefined;
    if (conflict) {
      const message = `ddtrace not injected: ${conflict} and was not added by the operator; rename it`;
      return outcomeSkip('would-break-pod', message, message);
    }
  }

  const instrumentable = targets.containers.filter((container) => {
    if (canMount(container, AGENT_MOUNT)) return true;
    warnings.push(
      `container "${container.name}" already mounts another volume at ${MOUNT_PATH}: ddtrace not injected into it`,
    );
    return false;
  });
  if (instrumentable.length === 0) {
    const message = `ddtrace not injected: every target container already mounts another volume at ${MOUNT_PATH}`;
    return outcomeSkip('would-break-pod', message, message);
  }

  let changed = addVolumeIfAbsent(draft, buildEmptyDirVolume(VOLUME_NAME));
  if (!existingInit) {
    const spec = ensureSpec(draft);
    spec.initContainers ??= [];
    spec.initContainers.push(buildInitContainer(draft, image, config, instrumentable[0] as Container));
    changed = true;
  }
  for (const container of instrumentable) {
    if (instrumentContainer(container, row, config, warnings)) changed = true;
  }

  const installedImage = existingInit?.image ?? image;
  const summary = `${row.language}:${installedImage}`;
  if (!changed) return outcomeSkip('already-injected', `already injected (${summary})`);
  const names = instrumentable.map((container) => `"${container.name}"`).join(', ');
  return existingInit
    ? injected(FEATURE, 'reinvocation', summary, `completed the ${row.language} agent in ${names}`, warnings)
    : injected(
        FEATURE,
        decision.reason,
        summary,
        `${row.language} agent ${installedImage} into ${names} (${decision.detail})`,
        warnings,
      );
}

export const ddtraceInjector: Injector = { name: FEATURE, inject };
