// Flameshot (`admission_inject_v2.flameshots`, reference §4): a `datakit-flameshot` sidecar that profiles
// the named processes of the app containers, which it sees in the pod's shared process namespace, and
// serves the results on a local port. Unlike upstream: the pod's restartPolicy is never forced to Always
// (Jobs complete; a Job pod gets a native sidecar where the server has them, like the other sidecars), the
// shared volume goes only into the app containers and never over another mount, and the profiling path and
// port were checked at load.

import type { FlameshotV2Rule } from '../../config/v2/types.ts';
import { editPlan, injected, skipPlan, skipped } from '../../mutation/outcomes.ts';
import { featureEnabledAnnotation } from '../../mutation/operator-names.ts';
import type { Edit, Feature, FeaturePlan, RequestContext } from '../../mutation/plan.ts';
import { containerAt } from '../../mutation/target-containers.ts';
import { isFeatureOptedOut } from '../../mutation/targeting.ts';
import type { SkipReason } from '../../mutation/types.ts';
import { describeRule, firstMatchingRule } from '../../matching/v2-rules.ts';
import { hasContainerNamed, copyResources, findMountAt, hasDeviceAt } from '../../podspec/containers.ts';
import { buildRuleSidecarEnvs } from '../../podspec/rule-envs.ts';
import { findSidecar, placeSidecar, resolveSidecarPlacement } from '../../podspec/sidecars.ts';
import type { Container, EnvVar, Pod, VolumeMount } from '../../podspec/types.ts';
import { buildEmptyDirVolume, findVolume } from '../../podspec/volumes.ts';
import {
  FEATURE,
  PORT_NAME,
  PROMETHEUS_MEASUREMENT,
  PROMETHEUS_PREFIX,
  SIDECAR_CAPABILITIES,
  SIDECAR_COMMAND,
  SIDECAR_NAME,
  VOLUME_NAME,
} from './constants.ts';

function skip(reason: SkipReason, detail: string, warning?: string): FeaturePlan {
  return skipPlan(skipped(FEATURE, reason, detail, warning));
}

function sidecarEnvs(rule: FlameshotV2Rule, reference: Container): EnvVar[] {
  return buildRuleSidecarEnvs(rule.sidecar_envs, reference, SIDECAR_NAME);
}

function buildSidecar(rule: FlameshotV2Rule, path: string, port: number, reference: Container): Container {
  const env = sidecarEnvs(rule, reference);
  return {
    name: SIDECAR_NAME,
    image: rule.image,
    imagePullPolicy: rule.image_pull_policy,
    command: [...SIDECAR_COMMAND],
    ports: [{ name: PORT_NAME, containerPort: port, protocol: 'TCP' }],
    ...(env.length === 0 ? {} : { env }),
    resources: copyResources(rule.resources),
    volumeMounts: [{ name: VOLUME_NAME, mountPath: path }],
    securityContext: { capabilities: { add: [...SIDECAR_CAPABILITIES] } },
  };
}

function usesPort(pod: Readonly<Pod>, port: number): string | undefined {
  const spec = pod.spec ?? {};
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const ports = (container.ports ?? []) as { containerPort?: number; name?: string }[];
    if (ports.some((p) => p.containerPort === port || p.name === PORT_NAME)) return container.name;
  }
  return undefined;
}

function prometheusEdits(pod: Readonly<Pod>, rule: FlameshotV2Rule, port: number): Edit[] {
  if (!rule.enable_prometheus_annotations) return [];
  const keys = Object.keys(pod.metadata?.annotations ?? {});
  if (keys.some((key) => key.startsWith(PROMETHEUS_PREFIX))) return [];
  const values: readonly [string, string][] = [
    ['scrape', 'true'],
    ['port', String(port)],
    ['scheme', 'http'],
    ['path', '/metrics'],
    ['param_measurement', PROMETHEUS_MEASUREMENT],
  ];
  return values.map(([key, value]) => ({ kind: 'set-annotation', key: `${PROMETHEUS_PREFIX}${key}`, value }));
}

function plan(pod: Readonly<Pod>, rule: FlameshotV2Rule, why: string, request: RequestContext): FeaturePlan {
  const path = rule.profiling_path;
  const port = rule.port;
  const ruleName = describeRule(rule);
  if (rule.processes.trim() === '' || path === undefined || port === undefined) {
    return skip(
      'not-targeted',
      `rule ${ruleName} matches but lacks processes, FLAMESHOT_PROFILING_PATH or FLAMESHOT_HTTP_LOCAL_PORT, so it injects nothing`,
    );
  }
  if (findSidecar(pod, SIDECAR_NAME) !== undefined)
    return skip('already-injected', `container "${SIDECAR_NAME}" exists`);
  const { targets } = request;
  if (targets.limitExceeded !== undefined) {
    const message = `flameshot not injected: ${targets.limitExceeded}`;
    return skip('limit-exceeded', message, message);
  }
  const warnings = [...targets.warnings];
  if (targets.refs.length === 0) return skip('no-target-containers', 'the pod has no container to profile');
  const conflict = (what: string): FeaturePlan => {
    const message = `flameshot not injected: ${what}`;
    return skip('would-break-pod', message, message);
  };
  if (hasContainerNamed(pod, SIDECAR_NAME))
    return conflict(`an ephemeral container is named "${SIDECAR_NAME}"; rename it`);
  if (findVolume(pod, VOLUME_NAME)) {
    return conflict(
      `a volume named "${VOLUME_NAME}" already exists and was not added by the operator; rename it`,
    );
  }
  if (pod.spec?.shareProcessNamespace === false) {
    return conflict(
      "the pod sets spec.shareProcessNamespace to false, and Flameshot sees the app's processes only in a shared process namespace",
    );
  }
  const portUser = usesPort(pod, port);
  if (portUser !== undefined) {
    return conflict(`container "${portUser}" already uses port ${port} or the port name ${PORT_NAME}`);
  }
  const mount: VolumeMount = { name: VOLUME_NAME, mountPath: path };
  const mounted = targets.refs.filter((ref) => {
    const container = containerAt(pod, ref);
    if (findMountAt(container, path) === undefined && !hasDeviceAt(container, path)) return true;
    warnings.push(
      `container "${container.name}" already uses ${path} for another volume: flameshot's volume not mounted into it`,
    );
    return false;
  });
  const reference = containerAt(pod, targets.refs[0]!);
  const placement = resolveSidecarPlacement('auto', pod, request.serverVersion, SIDECAR_NAME);
  if (placement.warning !== undefined) warnings.push(placement.warning);
  const sidecar = buildSidecar(rule, path, port, reference);
  const edits: Edit[] = [
    { kind: 'add-volume', volume: buildEmptyDirVolume(VOLUME_NAME) },
    ...mounted.map((target): Edit => ({ kind: 'add-mount', target, mount: { ...mount } })),
    { kind: 'add-container', ...placeSidecar(sidecar, placement.placement) },
  ];
  const hostPid = pod.spec?.hostPID === true;
  if (!hostPid) edits.push({ kind: 'set-spec-field', field: 'shareProcessNamespace', value: true });
  edits.push(...prometheusEdits(pod, rule, port));
  const names = mounted.map((ref) => `"${containerAt(pod, ref).name}"`).join(', ');
  const where = placement.placement === 'native' ? 'a native sidecar' : 'a sidecar container';
  const detail =
    `flameshot ${rule.image} as ${where} for processes "${rule.processes}", port ${port}, path ${path} in ${names || 'no container'} ` +
    `(rule ${ruleName}: ${why}; ${placement.reason})`;
  const reason = rule.label_selectors.length > 0 ? 'label-selector' : 'namespace';
  return editPlan(injected(FEATURE, reason, rule.image, detail, warnings), edits);
}

export const flameshotFeature: Feature = {
  name: FEATURE,
  configured: (config) => config.admission_inject_v2.flameshots.length > 0,
  select(pod, ctx) {
    if (isFeatureOptedOut(pod, FEATURE)) {
      const detail = `annotation ${featureEnabledAnnotation(FEATURE)} is false`;
      return { selected: false, outcome: skipped(FEATURE, 'feature-opted-out', detail) };
    }
    const rules = ctx.config.admission_inject_v2.flameshots;
    const choice = firstMatchingRule(rules, { namespace: ctx.namespace, labels: pod.metadata?.labels ?? {} });
    if (choice === undefined) {
      const detail = `no admission_inject_v2.flameshots rule matches namespace "${ctx.namespace}" and the pod's labels (${rules.length} configured)`;
      return { selected: false, outcome: skipped(FEATURE, 'not-targeted', detail) };
    }
    return { selected: true, plan: (draft, request) => plan(draft, choice.rule, choice.why, request) };
  },
};
