// The two shapes a cached Pod is served in. `ebpf-v1` keeps exactly the fields of upstream's
// `trimPodForEBPFV1` (issue 15 §3.3): what DataKit's eBPF collector needs to name connections, and no env
// values, images, annotations or volumes. Go serialisation artefacts (`creationTimestamp: null`, empty
// `resources`) are not reproduced: clients do not depend on them.

import type { CachedPod } from './cached-pod.ts';
import { VIEW_EBPF_V1, type PodView } from './constants.ts';

const METADATA_FIELDS = ['uid', 'name', 'namespace', 'labels', 'ownerReferences'] as const;
const SPEC_FLAGS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;
const STATUS_FIELDS = ['hostIP', 'podIP', 'podIPs', 'startTime'] as const;

export function trimPodForEbpfV1(pod: CachedPod): Record<string, unknown> {
  const metadata = pick(pod.metadata, METADATA_FIELDS);
  const spec: Record<string, unknown> = {};
  const containers = pod.spec?.['containers'];
  if (Array.isArray(containers)) {
    spec['containers'] = containers.map((container: unknown) => {
      const { name, ports } = (container ?? {}) as { name?: unknown; ports?: unknown };
      return { ...(name !== undefined ? { name } : {}), ...(Array.isArray(ports) ? { ports } : {}) };
    });
  }
  for (const flag of SPEC_FLAGS) if (pod.spec?.[flag] === true) spec[flag] = true;
  return { metadata, spec, status: pick(pod.status ?? {}, STATUS_FIELDS) };
}

export function renderPod(pod: CachedPod, view: PodView): unknown {
  return view === VIEW_EBPF_V1 ? trimPodForEbpfV1(pod) : pod;
}

function pick(object: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = object[key];
    if (value !== undefined && value !== '' && value !== null) out[key] = value;
  }
  return out;
}
