// logfwd chosen by `admission_inject_v2.logfwds` (reference §5): the first matching rule injects one
// `datakit-logfwd` sidecar, even with no annotation (logfwd can then fetch its config from the operator),
// unless the rule has `check_annotation: true` and the pod lacks `admission.datakit/logfwd.instances`.
// The log directories come from the annotation's logfiles, the rule's enabled `file` log_configs and its
// log_volume_paths, and are shared as in v1 (SPEC §7: never a second mount at a path, existing emptyDirs
// reused); the sidecar also gets the pod's labels through a downward API volume.

import { ok, type Result } from '../../errors/result.ts';
import type { LogfwdV2Rule } from '../../config/v2/types.ts';
import { editPlan, injected, skipPlan, skipped } from '../../mutation/outcomes.ts';
import { featureEnabledAnnotation } from '../../mutation/operator-names.ts';
import type { Edit, FeaturePlan, RequestContext, Selection } from '../../mutation/plan.ts';
import { containerAt } from '../../mutation/target-containers.ts';
import { isFeatureOptedOut } from '../../mutation/targeting.ts';
import type { SkipReason } from '../../mutation/types.ts';
import { describeRule, firstMatchingRule } from '../../matching/v2-rules.ts';
import { getAnnotation } from '../../podspec/annotations.ts';
import { hasContainerNamed, copyResources, findMountAt } from '../../podspec/containers.ts';
import { buildRuleSidecarEnvs } from '../../podspec/rule-envs.ts';
import { buildRestrictedSecurityContext } from '../../podspec/security-context.ts';
import { findSidecar, placeSidecar, resolveSidecarPlacement } from '../../podspec/sidecars.ts';
import type { Container, Pod, Volume } from '../../podspec/types.ts';
import { findVolume } from '../../podspec/volumes.ts';
import { joinedJsonConfig, parseLogfwdInstances } from './annotation.ts';
import {
  ANNOTATION_INSTANCES,
  ENV_JSON_CONFIG,
  ENV_LOG_CONFIGS,
  FEATURE,
  MAX_SHARED_MOUNTS_PER_POD,
  POD_INFO_MOUNT_PATH,
  POD_INFO_VOLUME_NAME,
  SIDECAR_NAME,
} from './constants.ts';
import { resolveVolumePlan } from './volumes.ts';

function skip(reason: SkipReason, detail: string, warning?: string): FeaturePlan {
  return skipPlan(skipped(FEATURE, reason, detail, warning));
}

const POD_INFO_VOLUME: Volume = {
  name: POD_INFO_VOLUME_NAME,
  downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
};

/** The annotation as LOGFWD_JSON_CONFIG (compacted) and its logfiles; the annotation's problem when it is invalid. */
function readAnnotation(annotation: string | undefined): Result<{ json?: string; logfiles: string[] }> {
  if (annotation === undefined) return ok({ logfiles: [] });
  if (annotation.trim() === '') return ok({ json: '', logfiles: [] });
  const parsed = parseLogfwdInstances(annotation);
  if (!parsed.ok) return parsed;
  return ok({
    json: joinedJsonConfig(parsed.value),
    logfiles: parsed.value.flatMap((instance) => [...instance.logfiles]),
  });
}

function plan(pod: Readonly<Pod>, rule: LogfwdV2Rule, why: string, request: RequestContext): FeaturePlan {
  if (findSidecar(pod, SIDECAR_NAME) !== undefined)
    return skip('already-injected', `container "${SIDECAR_NAME}" exists`);
  const read = readAnnotation(getAnnotation(pod, ANNOTATION_INSTANCES));
  if (!read.ok) {
    const message = `logfwd not injected: ${read.error.message}`;
    return skip('invalid-annotation', message, message);
  }
  const annotation = read.value;
  const { targets } = request;
  if (targets.limitExceeded !== undefined) {
    const message = `logfwd not injected: ${targets.limitExceeded}`;
    return skip('limit-exceeded', message, message);
  }
  const warnings = [...targets.warnings];
  if (targets.refs.length === 0)
    return skip('no-target-containers', 'the pod has no container to share logs with');
  if (hasContainerNamed(pod, SIDECAR_NAME)) {
    const message = `logfwd not injected: an ephemeral container is named "${SIDECAR_NAME}"; rename it`;
    return skip('would-break-pod', message, message);
  }
  if (findVolume(pod, POD_INFO_VOLUME_NAME)) {
    const message = `logfwd not injected: a volume named "${POD_INFO_VOLUME_NAME}" already exists and was not added by the operator; rename it`;
    return skip('would-break-pod', message, message);
  }
  const containers = targets.refs.map((ref) => containerAt(pod, ref));
  const logfiles = [
    ...annotation.logfiles,
    ...rule.log_config_paths,
    ...rule.log_volume_paths.map((dir) => `${dir.replace(/\/+$/, '')}/*`),
  ];
  const volumes = resolveVolumePlan(pod, containers, [logfiles], true);
  if (!volumes.ok) return skip(volumes.error.reason, volumes.error.message, volumes.error.message);
  if (volumes.value.appMounts.length * containers.length > MAX_SHARED_MOUNTS_PER_POD) {
    const message = `logfwd not injected: more than ${MAX_SHARED_MOUNTS_PER_POD} mounts to share the log directories`;
    return skip('limit-exceeded', message, message);
  }
  warnings.push(...volumes.value.warnings);

  const edits: Edit[] = [...volumes.value.volumes, POD_INFO_VOLUME].map((volume) => ({
    kind: 'add-volume',
    volume,
  }));
  targets.refs.forEach((target, position) => {
    const container = containers[position] as Container;
    for (const mount of volumes.value.appMounts) {
      if (findMountAt(container, mount.mountPath) === undefined)
        edits.push({ kind: 'add-mount', target, mount: { ...mount } });
    }
  });
  const reference = containers[0] as Container;
  const computed = [
    ...(annotation.json === undefined ? [] : [{ name: ENV_JSON_CONFIG, value: annotation.json }]),
    ...(rule.log_configs === '' ? [] : [{ name: ENV_LOG_CONFIGS, value: rule.log_configs }]),
  ];
  // A configured env of a computed name is replaced in place (upstream 1.9), the others are appended.
  const envs = [
    ...rule.envs.map((env) => computed.find((c) => c.name === env.name) ?? env),
    ...computed.filter((c) => !rule.envs.some((env) => env.name === c.name)),
  ];
  const sidecar: Container = {
    name: SIDECAR_NAME,
    image: rule.image,
    imagePullPolicy: rule.image_pull_policy,
    env: buildRuleSidecarEnvs(envs, reference, SIDECAR_NAME),
    resources: copyResources(rule.resources),
    volumeMounts: [
      ...(volumes.value.sidecarMounts[0] ?? []).map((mount) => ({ ...mount })),
      { name: POD_INFO_VOLUME_NAME, mountPath: POD_INFO_MOUNT_PATH, readOnly: true },
    ],
    securityContext: buildRestrictedSecurityContext(pod, reference),
  };
  const placement = resolveSidecarPlacement('auto', pod, request.serverVersion, SIDECAR_NAME);
  if (placement.warning !== undefined) warnings.push(placement.warning);
  edits.push({ kind: 'add-container', ...placeSidecar(sidecar, placement.placement) });
  const directories = (volumes.value.sidecarMounts[0] ?? []).map((mount) => mount.mountPath);
  const shared =
    directories.length === 0
      ? 'no log directory'
      : `${directories.join(', ')} shared with ${containers.map((c) => `"${c.name}"`).join(', ')}`;
  const detail = `"${SIDECAR_NAME}" (${placement.reason}) reading ${shared} (rule ${describeRule(rule)}: ${why})`;
  const reason =
    annotation.json !== undefined
      ? 'annotation'
      : rule.label_selectors.length > 0
        ? 'label-selector'
        : 'namespace';
  return editPlan(injected(FEATURE, reason, 1, detail, warnings), edits);
}

export function selectByV2Rules(
  pod: Readonly<Pod>,
  namespace: string,
  rules: readonly LogfwdV2Rule[],
): Selection {
  if (isFeatureOptedOut(pod, FEATURE)) {
    const detail = `annotation ${featureEnabledAnnotation(FEATURE)} is false`;
    return { selected: false, outcome: skipped(FEATURE, 'feature-opted-out', detail) };
  }
  const choice = firstMatchingRule(rules, { namespace, labels: pod.metadata?.labels ?? {} });
  if (choice === undefined) {
    const detail = `no admission_inject_v2.logfwds rule matches namespace "${namespace}" and the pod's labels (${rules.length} configured)`;
    return { selected: false, outcome: skipped(FEATURE, 'not-targeted', detail) };
  }
  const { rule, why } = choice;
  if (rule.check_annotation && getAnnotation(pod, ANNOTATION_INSTANCES) === undefined) {
    const detail = `rule ${describeRule(rule)} matches but has check_annotation: true and the pod has no annotation ${ANNOTATION_INSTANCES}`;
    return { selected: false, outcome: skipped(FEATURE, 'not-targeted', detail) };
  }
  return { selected: true, plan: (draft, request) => plan(draft, rule, why, request) };
}
