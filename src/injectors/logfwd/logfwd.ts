// logfwd log collection (SPEC §7): one sidecar per instance of the `admission.datakit/logfwd.instances`
// annotation, reading the app's log directories through volumes shared with every target container.

import { ErrorCode } from '../../errors/codes.ts';
import type { Result } from '../../errors/result.ts';
import { editPlan, injected, skipPlan, skipped } from '../../mutation/outcomes.ts';
import { featureEnabledAnnotation } from '../../mutation/operator-names.ts';
import type { ContainerRef, Edit, Feature, FeaturePlan, RequestContext } from '../../mutation/plan.ts';
import { containerAt } from '../../mutation/target-containers.ts';
import { isFeatureOptedOut } from '../../mutation/targeting.ts';
import type { SkipReason } from '../../mutation/types.ts';
import { getAnnotation } from '../../podspec/annotations.ts';
import { allContainerNames, findMountAt } from '../../podspec/containers.ts';
import { findSidecar, placeSidecar, resolveSidecarPlacement } from '../../podspec/sidecars.ts';
import type { Container, Pod, VolumeMount } from '../../podspec/types.ts';
import { findVolume } from '../../podspec/volumes.ts';
import { parseLogfwdInstances, type LogfwdInstance } from './annotation.ts';
import {
  ANNOTATION_INSTANCES,
  FEATURE,
  MAX_SHARED_MOUNTS_PER_POD,
  SIDECAR_NAME,
  VOLUME_NAME_PREFIX,
  sidecarName,
} from './constants.ts';
import { buildLogfwdSidecar } from './sidecar.ts';
import { resolveVolumePlan } from './volumes.ts';
import { selectByV2Rules } from './v2-rules.ts';

type ParsedInstances = Result<LogfwdInstance[]>;

function skip(reason: SkipReason, detail: string, warning?: string): FeaturePlan {
  return skipPlan(skipped(FEATURE, reason, detail, warning));
}

function quoteNames(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/**
 * The sidecars an earlier pass added: one per instance of the annotation. Counting from the annotation,
 * not by name pattern, keeps a user's own `datakit-logfwd-3` out of the set.
 */
function findLogfwdSidecars(pod: Readonly<Pod>, parsed: ParsedInstances): Container[] {
  const count = parsed.ok ? parsed.value.length : 1;
  return Array.from({ length: count }, (_, index) => findSidecar(pod, sidecarName(index))).filter(
    (sidecar): sidecar is Container => sidecar !== undefined,
  );
}

/** The operator's log volumes and their directories, as the sidecars of an earlier pass mount them. */
function findSharedLogVolumes(pod: Readonly<Pod>, sidecars: readonly Container[]): VolumeMount[] {
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
function planCompletion(pod: Readonly<Pod>, parsed: ParsedInstances, request: RequestContext): FeaturePlan {
  const sidecars = findLogfwdSidecars(pod, parsed);
  const sharedVolumes = findSharedLogVolumes(pod, sidecars);
  const completed: string[] = [];
  const warnings: string[] = [];
  const edits: Edit[] = [];
  for (const target of request.targets.refs) {
    const container = containerAt(pod, target);
    let changed = false;
    for (const mount of sharedVolumes) {
      const existing = findMountAt(container, mount.mountPath);
      if (existing === undefined) {
        edits.push({ kind: 'add-mount', target, mount: { ...mount } });
        changed = true;
      } else if (existing.name !== mount.name) {
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
    return skip('already-injected', detail, warnings.length > 0 ? warnings.join('; ') : undefined);
  }
  const directories = sharedVolumes.map((mount) => mount.mountPath).join(', ');
  const detail = `shared the log directories ${directories} with ${quoteNames(completed)}`;
  return editPlan(injected(FEATURE, 'reinvocation', count, detail, warnings), edits);
}

function plan(pod: Readonly<Pod>, annotation: string, request: RequestContext): FeaturePlan {
  const config = request.config.admission_inject.logfwd;
  const parsed = parseLogfwdInstances(annotation);
  if (findSidecar(pod, SIDECAR_NAME)) return planCompletion(pod, parsed, request);
  if (!parsed.ok) {
    const message = `logfwd not injected: ${parsed.error.message}`;
    const reason = parsed.error.code === ErrorCode.LIMIT_EXCEEDED ? 'limit-exceeded' : 'invalid-annotation';
    return skip(reason, message, message);
  }
  const instances = parsed.value;
  const { targets } = request;
  if (targets.limitExceeded !== undefined) {
    const message = `logfwd not injected: ${targets.limitExceeded}`;
    return skip('limit-exceeded', message, message);
  }
  const warnings = [...targets.warnings];
  if (targets.refs.length === 0) {
    const message = [
      'logfwd not injected: the pod has no container to share log directories with',
      ...warnings,
    ].join('; ');
    return skip('no-target-containers', message, message);
  }
  const names = instances.map((_, index) => sidecarName(index));
  const existingNames = allContainerNames(pod);
  const taken = names.find((name) => existingNames.has(name));
  if (taken !== undefined) {
    const message = `logfwd not injected: a container named "${taken}" already exists and was not added by the operator; rename it`;
    return skip('would-break-pod', message, message);
  }
  const containers = targets.refs.map((ref) => containerAt(pod, ref));
  const volumes = resolveVolumePlan(
    pod,
    containers,
    instances.map((instance) => instance.logfiles),
    config.options.reuse_exist_volume,
  );
  if (!volumes.ok) return skip(volumes.error.reason, volumes.error.message, volumes.error.message);
  // A later pass recognises the operator's volumes by this prefix among the sidecars' mounts.
  const reserved = volumes.value.sidecarMounts
    .flat()
    .find((mount) => mount.name.startsWith(VOLUME_NAME_PREFIX) && findVolume(pod, mount.name));
  if (reserved !== undefined) {
    const message =
      `logfwd not injected: volume "${reserved.name}" was not added by the operator, but names starting ` +
      `with "${VOLUME_NAME_PREFIX}" are the operator's own; rename it`;
    return skip('would-break-pod', message, message);
  }
  const sharedMounts = volumes.value.appMounts.length * containers.length;
  if (sharedMounts > MAX_SHARED_MOUNTS_PER_POD) {
    const message =
      `logfwd not injected: sharing ${volumes.value.appMounts.length} log directories with ${containers.length} ` +
      `containers takes ${sharedMounts} mounts, more than the limit of ${MAX_SHARED_MOUNTS_PER_POD} per pod`;
    return skip('limit-exceeded', message, message);
  }
  warnings.push(...volumes.value.warnings);

  const edits: Edit[] = volumes.value.volumes.map((volume) => ({ kind: 'add-volume', volume }));
  targets.refs.forEach((target: ContainerRef, position) => {
    const container = containers[position] as Container;
    for (const mount of volumes.value.appMounts) {
      if (findMountAt(container, mount.mountPath) === undefined) {
        edits.push({ kind: 'add-mount', target, mount: { ...mount } });
      }
    }
  });
  const reference = containers[0];
  const placements = instances.map((instance, index) => {
    const name = names[index] ?? sidecarName(index);
    const placement = resolveSidecarPlacement(config.options.sidecar_mode, pod, request.serverVersion, name);
    if (placement.warning !== undefined) warnings.push(placement.warning);
    const sidecar = buildLogfwdSidecar(pod, config, {
      name,
      jsonConfig: instance.jsonConfig,
      mounts: volumes.value.sidecarMounts[index] ?? [],
      reference,
    });
    edits.push({ kind: 'add-container', ...placeSidecar(sidecar, placement.placement) });
    return placement;
  });

  const first = placements[0];
  const where = first?.placement === 'native' ? 'native sidecar' : 'regular container';
  const directories = [
    ...new Set(volumes.value.sidecarMounts.flatMap((mounts) => mounts.map((mount) => mount.mountPath))),
  ];
  const detail =
    `${quoteNames(names)} as ${names.length === 1 ? `a ${where}` : `${where}s`} (${first?.reason}), reading ` +
    `${directories.join(', ')} shared with ${quoteNames(containers.map((container) => container.name))}`;
  return editPlan(injected(FEATURE, 'annotation', instances.length, detail, warnings), edits);
}

export const logfwdFeature: Feature = {
  name: FEATURE,
  select(pod, ctx) {
    // The v2 `logfwds` rules when any are in effect (a v1 section that sets images or envs overrides them).
    const rules = ctx.config.admission_inject_v2.logfwds;
    if (rules.length > 0) return selectByV2Rules(pod, ctx.namespace, rules);
    if (isFeatureOptedOut(pod, FEATURE)) {
      const detail = `annotation ${featureEnabledAnnotation(FEATURE)} is false`;
      return { selected: false, outcome: skipped(FEATURE, 'feature-opted-out', detail) };
    }
    const annotation = getAnnotation(pod, ANNOTATION_INSTANCES);
    if (annotation === undefined) {
      return {
        selected: false,
        outcome: skipped(FEATURE, 'not-targeted', `no annotation ${ANNOTATION_INSTANCES}`),
      };
    }
    return { selected: true, plan: (draft, request) => plan(draft, annotation, request) };
  },
};
