// Where a sidecar goes (SPEC §9): a regular container, or a native sidecar — an init container with
// `restartPolicy: Always` (Kubernetes ≥ 1.29) that runs beside the app and does not keep a Job's pod
// from completing.

import type { Container, Pod, ServerVersion, SidecarMode } from './types.ts';

export type SidecarPlacement = 'container' | 'native';

/** The first Kubernetes minor with native sidecars on by default (beta, SidecarContainers gate). */
export const NATIVE_SIDECAR_MIN_VERSION: ServerVersion = { major: 1, minor: 29 };

export const NATIVE_SIDECAR_RESTART_POLICY = 'Always';

export interface SidecarDecision {
  readonly placement: SidecarPlacement;
  /** Why this placement, for `explain` and logs. */
  readonly reason: string;
  /** Set when the user should know the consequence of the placement. */
  readonly warning?: string;
}

export function supportsNativeSidecars(version: ServerVersion | undefined): boolean | undefined {
  if (version === undefined) return undefined;
  if (version.major !== NATIVE_SIDECAR_MIN_VERSION.major)
    return version.major > NATIVE_SIDECAR_MIN_VERSION.major;
  return version.minor >= NATIVE_SIDECAR_MIN_VERSION.minor;
}

/** Pods that are meant to finish: the kubelet never restarts their containers once they succeed. */
export function isRunToCompletion(pod: Readonly<Pod>): boolean {
  const policy = pod.spec?.restartPolicy;
  return policy === 'Never' || policy === 'OnFailure';
}

function formatVersion(version: ServerVersion): string {
  return `${version.major}.${version.minor}`;
}

export function resolveSidecarPlacement(
  mode: SidecarMode,
  pod: Readonly<Pod>,
  serverVersion: ServerVersion | undefined,
  sidecarName: string,
): SidecarDecision {
  const native = supportsNativeSidecars(serverVersion);
  const runToCompletion = isRunToCompletion(pod);
  const jobWarning =
    `sidecar "${sidecarName}" runs as a regular container in a pod with restartPolicy ` +
    `${pod.spec?.restartPolicy}: the pod (and its Job) will not complete while the sidecar runs`;

  if (mode === 'container') {
    return runToCompletion
      ? { placement: 'container', reason: 'sidecar_mode is container', warning: jobWarning }
      : { placement: 'container', reason: 'sidecar_mode is container' };
  }
  if (mode === 'native') {
    if (native === false) {
      const version = formatVersion(serverVersion as ServerVersion);
      return {
        placement: 'container',
        reason: `sidecar_mode is native but the API server is ${version} (native sidecars need 1.29)`,
        warning: `sidecar "${sidecarName}" is a regular container: the API server ${version} has no native sidecars`,
      };
    }
    return { placement: 'native', reason: 'sidecar_mode is native' };
  }
  if (!runToCompletion) {
    return {
      placement: 'container',
      reason: 'sidecar_mode auto: the pod restarts its containers (restartPolicy Always)',
    };
  }
  if (native === true) {
    return {
      placement: 'native',
      reason: `sidecar_mode auto: restartPolicy ${pod.spec?.restartPolicy} on API server ${formatVersion(serverVersion as ServerVersion)}`,
    };
  }
  const known =
    native === false
      ? `the API server is ${formatVersion(serverVersion as ServerVersion)}`
      : 'the API server version is unknown';
  return { placement: 'container', reason: `sidecar_mode auto: ${known}`, warning: jobWarning };
}

/** Where a sidecar goes: a native sidecar is an init container, after the pod's own init containers. */
export function placeSidecar(
  sidecar: Container,
  placement: SidecarPlacement,
): { readonly list: 'containers' | 'initContainers'; readonly container: Container } {
  return placement === 'native'
    ? { list: 'initContainers', container: { ...sidecar, restartPolicy: NATIVE_SIDECAR_RESTART_POLICY } }
    : { list: 'containers', container: sidecar };
}

/** The operator's sidecar by name, wherever an earlier pass put it. */
export function findSidecar(pod: Readonly<Pod>, name: string): Container | undefined {
  const spec = pod.spec ?? {};
  return (
    spec.containers?.find((container) => container.name === name) ??
    spec.initContainers?.find((container) => container.name === name)
  );
}
