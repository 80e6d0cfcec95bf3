// The cluster the journeys run against: the harness this tier builds and starts (default), or an
// existing cluster named by E2E_KUBECONFIG (settings.ts).

import { existsSync } from 'node:fs';
import { buildHarness, startHarness } from './harness.ts';
import type { ClusterTarget } from './settings.ts';

export interface ClusterTimings {
  /** Harness only: the build script's wall time (a cache hit is about a second). */
  readonly buildSeconds?: number;
  /** Harness only: from spawn to READY (etcd + kube-apiserver /readyz + controller manager). */
  readonly startSeconds?: number;
}

export interface OpenCluster {
  readonly kubeconfig: string;
  readonly description: string;
  /** An existing cluster outlives the run, so the run must delete what it created there. */
  readonly disposable: boolean;
  readonly timings: ClusterTimings;
  close(): Promise<void>;
}

export async function openCluster(target: ClusterTarget, root: string, dir: string): Promise<OpenCluster> {
  if (target.kind === 'existing') {
    if (!existsSync(target.kubeconfig)) {
      throw new Error(`${target.source} names ${target.kubeconfig}, which does not exist`);
    }
    return {
      kubeconfig: target.kubeconfig,
      description: `existing cluster from ${target.source}=${target.kubeconfig}`,
      disposable: false,
      timings: {},
      close: async () => {},
    };
  }
  const build = await buildHarness(root);
  const harness = await startHarness(build.binary, dir);
  return {
    kubeconfig: harness.ready.kubeconfig,
    description: `harness ${build.binary} at ${harness.ready.server} (log ${harness.logFile})`,
    disposable: true,
    timings: { buildSeconds: build.seconds, startSeconds: harness.startSeconds },
    close: () => harness.stop(),
  };
}
