// The `datakit-profiler` container (SPEC §8). It runs the profiler image's scheduler from the shared
// working directory and needs ptrace (and perf_events) over the app's processes, which it sees because
// the pod shares one process namespace.

import type { ProfilerConfig } from '../../config/types.ts';
import { copyResources } from '../../podspec/containers.ts';
import { addEnvsIfAbsent, buildEnvVar, configuredEnvOrder } from '../../podspec/env.ts';
import type { Container, VolumeMount } from '../../podspec/types.ts';
import { SIDECAR_CAPABILITIES, SIDECAR_COMMAND, SIDECAR_NAME, WORKDIR_MOUNT_PATH } from './constants.ts';

export function buildProfilerContainer(
  image: string,
  config: ProfilerConfig,
  mounts: readonly VolumeMount[],
): Container {
  // addEnvsIfAbsent orders the envs so that every $(NAME) reference follows the env it names.
  const withEnvs: Container = { name: SIDECAR_NAME };
  addEnvsIfAbsent(
    withEnvs,
    config.envs.map((env) => buildEnvVar(env, SIDECAR_NAME)),
    configuredEnvOrder(config.envs),
  );
  return {
    name: SIDECAR_NAME,
    image,
    ...(config.image_pull_policy === undefined ? {} : { imagePullPolicy: config.image_pull_policy }),
    command: [...SIDECAR_COMMAND],
    workingDir: WORKDIR_MOUNT_PATH,
    ...(withEnvs.env === undefined ? {} : { env: withEnvs.env }),
    volumeMounts: mounts.map((mount) => ({ ...mount })),
    resources: copyResources(config.resources),
    securityContext: { capabilities: { add: [...SIDECAR_CAPABILITIES] } },
  };
}
