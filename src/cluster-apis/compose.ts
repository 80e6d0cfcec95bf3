// Builds the two cluster-backed read APIs of issue 15 (ClusterLoggingConfigs for logfwd, the Pod API for
// DataKit's eBPF collector) for the server. Their Kubernetes edges (client-node's informer, the
// TokenReview/SubjectAccessReview client) are imported only when there is Kubernetes access, so that the
// embedded default never loads the client; without access the routes answer 503 and say why.

import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { buildClusterPodService } from '../cluster-pods/service.ts';
import { rememberVerdicts } from '../cluster-pods/caller-access.ts';
import type { OpenFeed } from '../kube/object-feed.ts';
import { buildLoggingConfigService } from '../logging-configs/service.ts';
import type { Route } from '../http/router.ts';
import { CACHE_CLUSTER_LOGGING_CONFIGS, CACHE_PODS, registerCacheMetrics } from './cache-metrics.ts';

export interface ClusterApisOptions {
  readonly kubeConfig: KubeConfig | undefined;
  readonly logger: Logger;
  /** The server's metrics registry: the caches' state is reported there. */
  readonly registry: Registry;
}

export interface ClusterApis {
  readonly routes: readonly Route[];
  start(): void;
  close(): Promise<void>;
}

export async function buildClusterApis(options: ClusterApisOptions): Promise<ClusterApis> {
  const { kubeConfig, logger } = options;
  let openFeed: OpenFeed | undefined;
  let reviewCaller;
  if (kubeConfig !== undefined) {
    const [feeds, reviews] = await Promise.all([
      import('../kube/object-feed.ts'),
      import('../kube/token-review.ts'),
    ]);
    openFeed = (feedOptions) => feeds.watchObjects(kubeConfig, feedOptions);
    reviewCaller = rememberVerdicts(reviews.buildCallerReviewer(kubeConfig), () => performance.now());
  }
  const loggingConfigs = buildLoggingConfigService({ openFeed, logger });
  const pods = buildClusterPodService({ openFeed, reviewCaller, logger });
  registerCacheMetrics(options.registry, [
    { name: CACHE_PODS, state: () => ({ synced: pods.synced(), objects: pods.size() }) },
    {
      name: CACHE_CLUSTER_LOGGING_CONFIGS,
      state: () => ({ synced: loggingConfigs.synced(), objects: loggingConfigs.size() }),
    },
  ]);
  return {
    routes: [...loggingConfigs.routes, ...pods.routes],
    start() {
      loggingConfigs.start();
      pods.start();
    },
    async close() {
      await Promise.all([loggingConfigs.close(), pods.close()]);
    },
  };
}
