// The checks that skip the whole OpenTelemetry injection before anything is planned (reference §1.4): the
// pod is left exactly as it came, and the reason goes to the user as an admission warning (unlike
// upstream, which only logged it: defect O6).

import { isDeepStrictEqual } from 'node:util';
import { parseQuantity } from '../../config/quantity.ts';
import { hasContainerNamed, findInitContainer } from '../../podspec/containers.ts';
import type { Container, Pod, ResourceRequirements, SecurityContext } from '../../podspec/types.ts';
import { findVolume } from '../../podspec/volumes.ts';
import {
  DDTRACE_INIT_CONTAINER,
  DDTRACE_MOUNT_PATHS,
  INIT_CONTAINER_NAME,
  VOLUME_NAME,
} from './constants.ts';

/**
 * The init container would run as root in a pod that forbids it: `runAsNonRoot: true` with no
 * `runAsUser` (the OTel images do not declare a numeric non-root user) or with `runAsUser: 0`. The kubelet
 * would refuse to start it, and the pod would never start.
 */
export function runsAsRootWhileForbidden(context: SecurityContext): boolean {
  return context.runAsNonRoot === true && (context.runAsUser === undefined || context.runAsUser === 0);
}

/** How DDTrace is already in the pod (its init container, its mount in a target container), or undefined. */
export function ddtraceInPod(pod: Readonly<Pod>, targets: readonly Container[]): string | undefined {
  if (findInitContainer(pod, DDTRACE_INIT_CONTAINER) !== undefined) {
    return `the pod has DDTrace's init container "${DDTRACE_INIT_CONTAINER}"`;
  }
  for (const container of targets) {
    const mount = container.volumeMounts?.find((m) => DDTRACE_MOUNT_PATHS.includes(m.mountPath));
    if (mount !== undefined) return `container "${container.name}" mounts DDTrace's ${mount.mountPath}`;
  }
  return undefined;
}

/** Why the pod's own objects are in the way of the injection (reference §1.4 step 6), or undefined. */
export function podConflict(pod: Readonly<Pod>, desiredInit: Container): string | undefined {
  const existingInit = findInitContainer(pod, INIT_CONTAINER_NAME);
  if (existingInit !== undefined) {
    const incompatible = initContainerDifference(existingInit, desiredInit);
    if (incompatible !== undefined) {
      return `the pod's init container "${INIT_CONTAINER_NAME}" is not the one this rule would add (${incompatible}); remove it, or make the rule match it`;
    }
  } else if (hasContainerNamed(pod, INIT_CONTAINER_NAME)) {
    return `a container named "${INIT_CONTAINER_NAME}" already exists and was not added by the operator; rename it`;
  }
  const volume = findVolume(pod, VOLUME_NAME);
  if (volume !== undefined && Object.keys(volume).some((key) => key !== 'name' && key !== 'emptyDir')) {
    return `the pod has a volume "${VOLUME_NAME}" that is not an emptyDir; rename it`;
  }
  return undefined;
}

/** Why one target container's mounts are in the way (reference §1.4 step 6), or undefined. */
export function containerMountConflict(container: Container, mountPath: string): string | undefined {
  const at = `container "${container.name}"`;
  for (const mount of container.volumeMounts ?? []) {
    const ours = mount.name === VOLUME_NAME;
    if (ours && mount.mountPath !== mountPath) {
      return `${at} mounts volume "${VOLUME_NAME}" at ${mount.mountPath}, not at ${mountPath}`;
    }
    if (!ours && mount.mountPath === mountPath) {
      return `${at} mounts volume "${mount.name}" at ${mountPath}, where the agent goes`;
    }
    if (ours && (mount['subPath'] !== undefined || mount['subPathExpr'] !== undefined)) {
      return `${at} mounts volume "${VOLUME_NAME}" with a subPath`;
    }
  }
  const devices = container.volumeDevices;
  if (Array.isArray(devices) && devices.some((device) => device?.devicePath === mountPath)) {
    return `${at} uses ${mountPath} as the path of a volumeDevice`;
  }
  return undefined;
}

function sameQuantities(a: unknown, b: unknown): boolean {
  const left = (a ?? {}) as Record<string, unknown>;
  const right = (b ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    const x = left[key];
    const y = right[key];
    if (x === y) continue;
    // The API server writes quantities in canonical form (`0.5` → `500m`): compare amounts, not texts.
    if (typeof x !== 'string' || typeof y !== 'string') return false;
    const amount = parseQuantity(x);
    if (amount === undefined || amount !== parseQuantity(y)) return false;
  }
  return true;
}

function sameResources(a: ResourceRequirements | undefined, b: ResourceRequirements | undefined): boolean {
  return sameQuantities(a?.requests, b?.requests) && sameQuantities(a?.limits, b?.limits);
}

/** Every field `desired` sets has the same value in `existing` (recursively); `existing` may set more. */
function isDerivative(desired: unknown, existing: unknown): boolean {
  if (typeof desired !== 'object' || desired === null || Array.isArray(desired)) {
    return isDeepStrictEqual(desired, existing);
  }
  if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) return false;
  return Object.entries(desired).every(([key, value]) =>
    isDerivative(value, (existing as Record<string, unknown>)[key]),
  );
}

/**
 * What differs between the pod's `datakit-otel-lib-init` and the one the rule would add, or undefined when
 * the pod's is compatible (`otelInitContainerCompatible`): same image, command, args, pull policy and
 * resources; a securityContext that keeps every field ours sets; exactly one mount of our volume or path,
 * and that one exactly ours.
 */
export function initContainerDifference(existing: Container, desired: Container): string | undefined {
  for (const field of ['image', 'command', 'args', 'imagePullPolicy'] as const) {
    if (!isDeepStrictEqual(existing[field], desired[field])) return `its ${field} differs`;
  }
  if (!sameResources(existing.resources, desired.resources)) return 'its resources differ';
  if (
    desired.securityContext !== undefined &&
    !isDerivative(desired.securityContext, existing.securityContext)
  ) {
    return 'its securityContext differs';
  }
  const [mount] = desired.volumeMounts ?? [];
  const related = (existing.volumeMounts ?? []).filter(
    (candidate) => candidate.name === mount?.name || candidate.mountPath === mount?.mountPath,
  );
  if (related.length !== 1 || !isDeepStrictEqual({ ...related[0] }, { ...mount })) {
    return `it does not mount exactly volume "${VOLUME_NAME}" at ${mount?.mountPath}`;
  }
  return undefined;
}
