// What of a pod the webhook writes, in a form where "the API server stored it" and "the pure core
// produced it" compare equal exactly when the webhook's output survived admission unchanged.
//
// Compared (everything an injector sets or edits):
// - metadata.annotations (the status annotations and the user's own);
// - spec.volumes, spec.shareProcessNamespace;
// - per container and init container, in order: name, image, command, args, workingDir, restartPolicy
//   (native sidecars), env, volumeMounts, securityContext.
// Not compared: resources (the API server canonicalises quantities and copies limits into missing
// requests), labels (never written by the webhook), and every field the API server defaults on its own
// (imagePullPolicy, terminationMessagePath, dnsPolicy, status, ...).
//
// Normalised, because Go's JSON encoding and API defaulting change the form but not the meaning of
// what the webhook sent (k8s.io/kubernetes pkg/apis/core/v1/defaults.go and the API types' omitempty):
// - env[].valueFrom.fieldRef.apiVersion defaults to "v1" (SetDefaults_ObjectFieldSelector);
// - env[].valueFrom.resourceFieldRef.divisor is a Quantity that always serialises, as "0" when unset;
// - env[].value "" and volumeMounts[].readOnly false are omitted (omitempty);
// - hostPath.type defaults to "" (SetDefaults_HostPathVolumeSource);
// - an empty list or map is the same as none (omitempty);
// - the ServiceAccount admission plugin (enabled in real clusters, not in the harness) mounts a token
//   volume named `kube-api-access-` plus a random suffix drawn per request, so the dry run that shows the
//   webhook's input and the real create draw different names: the suffix is replaced by `*`.

import type { Container, EnvVar, Pod, Volume, VolumeMount } from '../../../src/podspec/types.ts';

export interface ContainerView {
  readonly name: string;
  readonly image?: unknown;
  readonly command?: unknown;
  readonly args?: unknown;
  readonly workingDir?: unknown;
  readonly restartPolicy?: unknown;
  readonly env?: unknown[];
  readonly volumeMounts?: unknown[];
  readonly securityContext?: unknown;
}

export interface WebhookView {
  readonly annotations?: Readonly<Record<string, string>>;
  readonly shareProcessNamespace?: boolean;
  readonly volumes?: unknown[];
  readonly initContainers?: ContainerView[];
  readonly containers?: ContainerView[];
}

/** The ServiceAccount admission plugin's token volume: the prefix plus five random characters. */
const SERVICE_ACCOUNT_VOLUME = /^kube-api-access-[a-z0-9]{5}$/;
const SERVICE_ACCOUNT_VOLUME_NAME = 'kube-api-access-*';

export function webhookViewOf(pod: Pod): WebhookView {
  const spec = pod.spec ?? {};
  return dropUndefined({
    annotations: nonEmptyMap(pod.metadata?.annotations),
    shareProcessNamespace: spec.shareProcessNamespace,
    volumes: nonEmptyList(spec.volumes?.map(normaliseVolume)),
    initContainers: nonEmptyList(spec.initContainers?.map(containerView)),
    containers: nonEmptyList(spec.containers?.map(containerView)),
  }) as WebhookView;
}

function containerView(container: Container): ContainerView {
  return dropUndefined({
    name: container.name,
    image: container.image,
    command: nonEmptyList(container.command),
    args: nonEmptyList(container.args),
    workingDir: container.workingDir === '' ? undefined : container.workingDir,
    restartPolicy: container.restartPolicy,
    env: nonEmptyList(container.env?.map(normaliseEnv)),
    volumeMounts: nonEmptyList(container.volumeMounts?.map(normaliseMount)),
    securityContext: container.securityContext,
  }) as unknown as ContainerView;
}

function normaliseEnv(env: EnvVar): unknown {
  const copy: Record<string, unknown> = structuredClone(env);
  if (copy['value'] === '') delete copy['value'];
  const valueFrom = copy['valueFrom'] as Record<string, Record<string, unknown> | undefined> | undefined;
  if (valueFrom?.['fieldRef']) valueFrom['fieldRef'] = { apiVersion: 'v1', ...valueFrom['fieldRef'] };
  if (valueFrom?.['resourceFieldRef']) {
    valueFrom['resourceFieldRef'] = { divisor: '0', ...valueFrom['resourceFieldRef'] };
  }
  return copy;
}

function normaliseMount(mount: VolumeMount): unknown {
  const copy: Record<string, unknown> = { ...mount, name: volumeName(mount.name) };
  if (copy['readOnly'] === false) delete copy['readOnly'];
  return copy;
}

function normaliseVolume(volume: Volume): unknown {
  const copy: Record<string, unknown> = { ...structuredClone(volume), name: volumeName(volume.name) };
  const hostPath = copy['hostPath'] as Record<string, unknown> | undefined;
  if (hostPath) copy['hostPath'] = { type: '', ...hostPath };
  return copy;
}

function volumeName(name: string): string {
  return SERVICE_ACCOUNT_VOLUME.test(name) ? SERVICE_ACCOUNT_VOLUME_NAME : name;
}

function nonEmptyList<T>(list: readonly T[] | undefined): T[] | undefined {
  return list === undefined || list.length === 0 ? undefined : [...list];
}

function nonEmptyMap(map: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  return map === undefined || Object.keys(map).length === 0 ? undefined : { ...map };
}

function dropUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

/** The name of each container, init containers first: for messages that say what a pod carries. */
export function containerNames(pod: Pod): { init: string[]; app: string[] } {
  return {
    init: (pod.spec?.initContainers ?? []).map((container) => container.name),
    app: (pod.spec?.containers ?? []).map((container) => container.name),
  };
}
