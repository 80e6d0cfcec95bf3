// The logfwd sidecar container for one instance (SPEC §7).

import type { LogfwdConfig } from '../../config/types.ts';
import { copyResources } from '../../podspec/containers.ts';
import { addEnvsIfAbsent, buildEnvVar } from '../../podspec/env.ts';
import { buildRestrictedSecurityContext } from '../../podspec/security-context.ts';
import type { Container, EnvVar, Pod, VolumeMount } from '../../podspec/types.ts';
import {
  ENV_JSON_CONFIG,
  ENV_POD_NAME,
  ENV_POD_NAMESPACE,
  FIELD_PATH_POD_NAME,
  FIELD_PATH_POD_NAMESPACE,
} from './constants.ts';

export interface LogfwdSidecarInput {
  readonly name: string;
  /** LOGFWD_JSON_CONFIG: a one-element array holding this sidecar's instance. */
  readonly jsonConfig: string;
  readonly mounts: readonly VolumeMount[];
  /** The first container whose files the sidecar reads; its identity is the sidecar's. */
  readonly reference: Container | undefined;
}

function buildFieldRefEnv(name: string, fieldPath: string): EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

/**
 * The envs in SPEC §7 order: the configured ones, the pod's name and namespace unless configured, then the
 * instance. A configured LOGFWD_JSON_CONFIG is dropped: the annotation is what says what to collect.
 */
export function buildSidecarEnvs(config: LogfwdConfig, name: string, jsonConfig: string): EnvVar[] {
  const sidecar: Container = { name, env: [] };
  addEnvsIfAbsent(sidecar, [
    ...config.envs.filter((env) => env.name !== ENV_JSON_CONFIG).map((env) => buildEnvVar(env, name)),
    buildFieldRefEnv(ENV_POD_NAME, FIELD_PATH_POD_NAME),
    buildFieldRefEnv(ENV_POD_NAMESPACE, FIELD_PATH_POD_NAMESPACE),
    { name: ENV_JSON_CONFIG, value: jsonConfig },
  ]);
  return sidecar.env ?? [];
}

// Why the restricted context cannot stop logfwd reading the app's files: read-only mounts only forbid
// writes, and without capabilities (no CAP_DAC_OVERRIDE) reading follows the file's owner and mode bits.
// The sidecar takes the pod's or the first target container's runAsUser, so it is the owner of the files
// that container writes, even 0600 ones. A root app sets no runAs*, and then none is set here either:
// the sidecar runs as its image's user (root when the image names none), like the app — we never force
// a non-root identity onto a sidecar that must read a root app's 0600 files. What stays unreadable: 0600
// files of target containers that run as other users than the first one. Keeping a restricted pod
// admissible (Pod Security "restricted") outweighs that rare case.
export function buildLogfwdSidecar(pod: Pod, config: LogfwdConfig, input: LogfwdSidecarInput): Container {
  return {
    name: input.name,
    image: config.images.logfwd_image,
    ...(config.image_pull_policy === undefined ? {} : { imagePullPolicy: config.image_pull_policy }),
    env: buildSidecarEnvs(config, input.name, input.jsonConfig),
    resources: copyResources(config.resources),
    volumeMounts: input.mounts.map((mount) => ({ ...mount })),
    securityContext: buildRestrictedSecurityContext(pod, input.reference),
  };
}
