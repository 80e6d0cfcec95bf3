// What the two cluster caches hold, for Prometheus: whether each has synced (its routes answer 503 until
// then) and how many objects it keeps. Read at scrape time from the caches themselves, so the figures
// cannot drift from what the routes serve.

import { Gauge, type Registry } from 'prom-client';

export const CACHE_METRIC_NAMES = {
  synced: 'datakit_operator_cluster_cache_synced',
  objects: 'datakit_operator_cluster_cache_objects',
} as const;

/** Label values of the `cache` label. */
export const CACHE_PODS = 'pods';
export const CACHE_CLUSTER_LOGGING_CONFIGS = 'clusterloggingconfigs';

export interface CacheState {
  /** Undefined without Kubernetes access: there is no cache (its routes say so). */
  readonly synced: boolean | undefined;
  readonly objects: number;
}

export interface ObservedCache {
  readonly name: string;
  state(): CacheState;
}

export function registerCacheMetrics(registry: Registry, caches: readonly ObservedCache[]): void {
  cacheGauge(
    registry,
    caches,
    CACHE_METRIC_NAMES.synced,
    'Per cluster cache (pods for the cluster Pod API, clusterloggingconfigs for /v1/logging/configs): 1 once its first list has been stored, 0 before (its routes answer 503), absent without Kubernetes access.',
    (state) => (state.synced === true ? 1 : 0),
  );
  cacheGauge(
    registry,
    caches,
    CACHE_METRIC_NAMES.objects,
    'Objects each cluster cache holds (pods trimmed to the fields the views need).',
    (state) => state.objects,
  );
}

/** One series per cache that exists, read from the caches at each scrape. */
function cacheGauge(
  registry: Registry,
  caches: readonly ObservedCache[],
  name: string,
  help: string,
  valueOf: (state: CacheState) => number,
): void {
  new Gauge({
    name,
    help,
    labelNames: ['cache'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const cache of caches) {
        const state = cache.state();
        if (state.synced !== undefined) this.set({ cache: cache.name }, valueOf(state));
      }
    },
  });
}
