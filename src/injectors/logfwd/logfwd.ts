// logfwd log collection (SPEC §7): one sidecar per instance of the `admission.datakit/logfwd.instances`
// annotation, reading the app's log directories through volumes shared with every target container.

import { injected, skipped } from '../../mutation/outcomes.ts';
import { featureEnabledAnnotation } from '../../mutation/operator-names.ts';
import { resolveTargetContainers } from '../../mutation/target-containers.ts';
import { isFeatureOptedOut } from '../../mutation/targeting.ts';
import type { Injector, MutationContext, Outcome, SkipReason } from '../../mutation/types.ts';
import { getAnnotation } from '../../podspec/annotations.ts';
import { addVolumeMountIfAbsent, allContainerNames } from '../../podspec/containers.ts';
import { addSidecar, findSidecar, resolveSidecarPlacement } from '../../podspec/sidecars.ts';
import type { Container, Pod, VolumeMount } from '../../podspec/types.ts';
import { addVolumeIfAbsent, findVolume } from '../../podspec/volumes.ts';
import { parseLogfwdInstances } from './annotation.ts';
import { ANNOTATION_INSTANCES, FEATURE, SIDECAR_NAME, VOLUME_NAME_PREFIX, sidecarName } from './constants.ts';
import { buildLogfwdSidecar } from './sidecar.ts';
import { resolveVolumePlan } from './volumes.ts';

function outcomeSkip(reason: SkipReason, detail: string, warning?: string): Outcome {
  return skipped(FEATURE, reason, detail, warning);
}

function quoteNames(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/**
 * The sidecars an earlier pass added: one per instance of the annotation. Counting from the annotation,
 * not by name pattern, keeps a user's own `datakit-logfwd-3` out of the set.
 */
function findLogfwdSidecars(pod: Pod, annotation: string): Container[] {
  const parsed = parseLogfwdInstances(annotation);
  const count = parsed.ok ? parsed.value.length : 1;
  return Array.from({ length: count }, (_, index) => findSidecar(pod, sidecarName(index))).filter(
    (sidecar): sidecar is Container => sidecar !== undefined,
  );
}

/** The operator's log volumes and their directories, as the sidecars of an earlier pass mount them. */
function findSharedLogVolumes(pod: Pod, sidecars: readonly Container[]): VolumeMount[] {
  const volumes = new Set((pod.spec?.volumes ?? []).map((volume) => volume.name));
  const byPath = new Map<string, VolumeMount>();
  for (const mount of sidecars.flatMap((sidecar) => sidecar.volumeMounts ?? [])) {
    if (!mount.name.startsWith(VOLUME_NAME_PREFIX) || !volumes.has(mount.name)) continue;
    if (!byPath.has(mount.mountPath))
      byPath.set(mount.mountPath, { name: mount.name, mountPath: mount.mountPath });
  }
  return [...byPath.values()];
}

/**
 * The sidecars exist: a later pass (re-invocation after another webhook added containers) only gives the
 * target containers the log volumes they lack, so the files they write are seen too.
 */
function completeInjection(draft: Pod, annotation: string): Outcome {
  const sidecars = findLogfwdSidecars(draft, annotation);
  const sharedVolumes = findSharedLogVolumes(draft, sidecars);
  const completed: string[] = [];
  const warnings: string[] = [];
  for (const container of resolveTargetContainers(draft).containers) {
    let changed = false;
    for (const mount of sharedVolumes) {
      const edit = addVolumeMountIfAbsent(container, { ...mount });
      if (edit === 'added') changed = true;
      if (edit === 'conflict') {
        warnings.push(
          `container "${container.name}" already mounts another volume at ${mount.mountPath}: the logfwd ` +
            `sidecar cannot read the files it writes there`,
        );
      }
    }
    if (changed) completed.push(container.name);
  }
  const count = sidecars.length;
  if (completed.length === 0) {
    const detail = `already injected (${count} sidecar${count === 1 ? '' : 's'})`;
    return outcomeSkip('already-injected', detail, warnings.length > 0 ? warnings.join('; ') : undefined);
  }
  const directories = sharedVolumes.map((mount) => mount.mountPath).join(', ');
  const detail = `shared the log directories ${directories} with ${quoteNames(completed)}`;
  return injected(FEATURE, 'reinvocation', count, detail, warnings);
}

function inject(draft: Pod, ctx: MutationContext): Outcome {
  const config = ctx.config.admission_inject.logfwd;
  if (isFeatureOptedOut(draft, FEATURE)) {
    return outcomeSkip('feature-opted-out', `annotation ${featureEnabledAnnotation(FEATURE)} is false`);
  }
  const annotation = getAnnotation(draft, ANNOTATION_INSTANCES);
  if (annotation === undefined) return outcomeSkip('not-targeted', `no annotation ${ANNOTATION_INSTANCES}`);
  if (findSidecar(draft, SIDECAR_NAME)) return completeInjection(draft, annotation);

  const parsed = parseLogfwdInstances(annotation);
  if (!parsed.ok) {
    const message = `logfwd not injected: ${parsed.error.message}`;
    return outcomeSkip('invalid-annotation', message, message);
  }
  const instances = parsed.value;
  const targets = resolveTargetContainers(draft);
  const warnings = [...targets.warnings];
  if (targets.containers.length === 0) {
    const message = [
      'logfwd not injected: the pod has no container to share log directories with',
      ...warnings,
    ].join('; ');
    return outcomeSkip('no-target-containers', message, message);
  }
  const names = instances.map((_, index) => sidecarName(index));
  const existingNames = allContainerNames(draft);
  const taken = names.find((name) => existingNames.has(name));
  if (taken !== undefined) {
    const message = `logfwd not injected: a container named "${taken}" already exists and was not added by the operator; rename it`;
    return outcomeSkip('would-break-pod', message, message);
  }
  const plan = resolveVolumePlan(
    draft,
    targets.containers,
    instances.map((instance) => instance.logfiles),
    config.options.reuse_exist_volume,
  );
  if (!plan.ok) return outcomeSkip('would-break-pod', plan.error, plan.error);
  // A later pass recognises the operator's volumes by this prefix among the sidecars' mounts.
  const reserved = plan.value.sidecarMounts
    .flat()
    .find((mount) => mount.name.startsWith(VOLUME_NAME_PREFIX) && findVolume(draft, mount.name));
  if (reserved !== undefined) {
    const message =
      `logfwd not injected: volume "${reserved.name}" was not added by the operator, but names starting ` +
      `with "${VOLUME_NAME_PREFIX}" are the operator's own; rename it`;
    return outcomeSkip('would-break-pod', message, message);
  }
  warnings.push(...plan.value.warnings);

  for (const volume of plan.value.volumes) addVolumeIfAbsent(draft, volume);
  for (const container of targets.containers) {
    for (const mount of plan.value.appMounts) addVolumeMountIfAbsent(container, { ...mount });
  }
  const reference = targets.containers[0];
  const placements = instances.map((instance, index) => {
    const name = names[index] ?? sidecarName(index);
    const placement = resolveSidecarPlacement(config.options.sidecar_mode, draft, ctx.serverVersion, name);
    if (placement.warning !== undefined) warnings.push(placement.warning);
    const mounts = plan.value.sidecarMounts[index] ?? [];
    const sidecar = buildLogfwdSidecar(draft, config, {
      name,
      jsonConfig: instance.jsonConfig,
      mounts,
      reference,
    });
    addSidecar(draft, sidecar, placement.placement);
    return placement;
  });

  const first = placements[0];
  const where = first?.placement === 'native' ? 'native sidecar' : 'regular container';
  const directories = [
    ...new Set(plan.value.sidecarMounts.flatMap((mounts) => mounts.map((mount) => mount.mountPath))),
  ];
  const detail =
    `${quoteNames(names)} as ${names.length === 1 ? `a ${where}` : `${where}s`} (${first?.reason}), reading ` +
    `${directories.join(', ')} shared with ${quoteNames(targets.containers.map((container) => container.name))}`;
  return injected(FEATURE, 'annotation', instances.length, detail, warnings);
}

export const logfwdInjector: Injector = { name: FEATURE, inject };
