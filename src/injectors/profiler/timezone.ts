// The host's /etc/localtime for the profiler (SPEC §8, `mount_host_localtime`), so that its schedule
// (DK_PROFILE_SCHEDULE) and its logs follow the node's time zone instead of the image's UTC.
//
// Decision: only the profiler sidecar mounts it. Upstream also mounted it into every app container, which
// silently changed the application's own time zone (and its log timestamps); the profiler does not need
// that. When any container of the pod already mounts /etc/localtime, the user manages time zones for this
// pod and nothing is added.

import type { Container, Pod, Volume, VolumeMount } from '../../podspec/types.ts';
import { findMountAt } from '../../podspec/containers.ts';
import { HOST_PATH_FILE_OR_CREATE, TIMEZONE_PATH, TIMEZONE_VOLUME_NAMES } from './constants.ts';
import { resolveFreeVolumeName } from './volume-names.ts';

export type TimezonePlan =
  | { readonly kind: 'mount'; readonly volume: Volume; readonly mount: VolumeMount }
  | { readonly kind: 'none'; readonly detail: string; readonly warning?: string };

export function buildHostLocaltimeVolume(name: string): Volume {
  return { name, hostPath: { path: TIMEZONE_PATH, type: HOST_PATH_FILE_OR_CREATE } };
}

function podContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

export function resolveTimezonePlan(pod: Pod, mountHostLocaltime: boolean): TimezonePlan {
  if (!mountHostLocaltime) return { kind: 'none', detail: 'mount_host_localtime is false' };
  const owner = podContainers(pod).find((container) => findMountAt(container, TIMEZONE_PATH));
  if (owner) {
    return { kind: 'none', detail: `container "${owner.name}" already mounts ${TIMEZONE_PATH}` };
  }
  const name = resolveFreeVolumeName(pod, TIMEZONE_VOLUME_NAMES);
  if (name === undefined) {
    const detail =
      `the pod already has volumes named ${TIMEZONE_VOLUME_NAMES.map((n) => `"${n}"`).join(' and ')}, ` +
      `so the profiler does not mount the host's ${TIMEZONE_PATH} and runs in its image's time zone`;
    return { kind: 'none', detail, warning: detail };
  }
  return {
    kind: 'mount',
    volume: buildHostLocaltimeVolume(name),
    mount: { name, mountPath: TIMEZONE_PATH, readOnly: true },
  };
}
