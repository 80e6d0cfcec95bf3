// Waiting on pods as a reader of the manual does with `kubectl get pod`: until they run and are Ready.

import { pollUntil } from '../../e2e/support/wait.ts';
import type { Kubectl } from './kubectl.ts';

/** Pulling nothing, a pod on this node starts in seconds; a slow shared CI machine gets ample room. */
export const POD_READY_TIMEOUT_MS = 180_000;

export interface PodView {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly annotations?: Record<string, string>;
  };
  readonly spec: {
    readonly nodeName?: string;
    readonly initContainers?: readonly { name: string; restartPolicy?: string }[];
    readonly containers: readonly { name: string; env?: readonly { name: string; value?: string }[] }[];
  };
  readonly status: {
    readonly phase?: string;
    readonly conditions?: readonly { type: string; status: string }[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
    readonly containerStatuses?: readonly ContainerStatus[];
  };
}

export interface ContainerStatus {
  readonly name: string;
  readonly ready: boolean;
  readonly state?: {
    terminated?: { exitCode: number; reason?: string };
    waiting?: { reason?: string; message?: string };
  };
}

export function isReady(pod: PodView): boolean {
  return (
    pod.status.phase === 'Running' &&
    (pod.status.conditions ?? []).some(
      (condition) => condition.type === 'Ready' && condition.status === 'True',
    )
  );
}

export function describePod(pod: PodView): string {
  const states = [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])].map(
    (status) => `${status.name}: ${JSON.stringify(status.state)}`,
  );
  return `${pod.metadata.name} ${pod.status.phase} [${states.join('; ')}]`;
}

export async function listPods(kubectl: Kubectl, namespace: string, selector: string): Promise<PodView[]> {
  const list = await kubectl.json<{ items: PodView[] }>('get', 'pod', '-n', namespace, '-l', selector);
  return list.items;
}

/** Waits until exactly `count` pods match and all are Running and Ready; returns them. */
export async function waitForReadyPods(
  kubectl: Kubectl,
  namespace: string,
  selector: string,
  count: number,
  timeoutMs = POD_READY_TIMEOUT_MS,
): Promise<PodView[]> {
  let last: PodView[] = [];
  try {
    return await pollUntil(
      async () => {
        last = await listPods(kubectl, namespace, selector);
        return last.length === count && last.every(isReady) ? last : undefined;
      },
      { timeoutMs, intervalMs: 1000, what: `${count} Ready pod(s) ${selector} in ${namespace}` },
    );
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; last seen: ${last.map(describePod).join(' | ') || 'none'}`,
      {
        cause: error,
      },
    );
  }
}
