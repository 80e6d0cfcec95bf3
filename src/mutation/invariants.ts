// The pod invariants of SPEC §3 and §15 over a whole pod, as the tests check a result. The admission path
// never scans a pod like this: the applier checks each plan against them (plan-check.ts). A violation is
// one the API server would reject the pod for (and with it the user's workload) or, for duplicate env
// names, one where it would silently keep only one.

import type { Container, Pod } from '../podspec/types.ts';

function containersOf(pod: Pod): Container[] {
  const spec = pod.spec ?? {};
  const lists = [spec.initContainers, spec.containers, spec.ephemeralContainers];
  return lists.flatMap((list) => (Array.isArray(list) ? (list as Container[]) : []));
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}

/** Every violation in the pod, each as a stable sentence (so two lists can be compared). */
export function listInvariantViolations(pod: Pod): string[] {
  const violations: string[] = [];
  const containers = containersOf(pod);
  for (const name of duplicates(containers.map((container) => container.name))) {
    violations.push(`container name "${name}" is used more than once`);
  }
  const volumeNames = (pod.spec?.volumes ?? []).map((volume) => volume.name);
  for (const name of duplicates(volumeNames)) {
    violations.push(`volume name "${name}" is used more than once`);
  }
  const volumes = new Set(volumeNames);
  for (const container of containers) {
    const mounts = container.volumeMounts ?? [];
    for (const path of duplicates(mounts.map((mount) => mount.mountPath))) {
      violations.push(`container "${container.name}" mounts more than one volume at "${path}"`);
    }
    const devicePaths = new Set((container.volumeDevices ?? []).map((device) => device.devicePath));
    for (const mount of mounts) {
      if (devicePaths.has(mount.mountPath)) {
        violations.push(
          `container "${container.name}" mounts a volume at "${mount.mountPath}", its device path`,
        );
      }
    }
    for (const mount of mounts) {
      if (!volumes.has(mount.name)) {
        violations.push(`container "${container.name}" mounts volume "${mount.name}", which does not exist`);
      }
    }
    for (const name of duplicates((container.env ?? []).map((env) => env.name))) {
      violations.push(`container "${container.name}" defines env "${name}" more than once`);
    }
  }
  return violations;
}
