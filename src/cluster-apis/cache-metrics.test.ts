import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { CACHE_METRIC_NAMES, registerCacheMetrics, type CacheState } from './cache-metrics.ts';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('registerCacheMetrics', () => {
  it('reports each cache as it is at scrape time: 0 until synced, then 1 and its object count', async () => {
    const registry = new Registry();
    let pods: CacheState = { synced: false, objects: 0 };
    registerCacheMetrics(registry, [{ name: 'pods', state: () => pods }]);
    const synced = `${CACHE_METRIC_NAMES.synced}{cache="pods"}`;
    const objects = `${CACHE_METRIC_NAMES.objects}{cache="pods"}`;
    let text = await registry.metrics();
    assert.equal(sample(text, synced), 0);
    assert.equal(sample(text, objects), 0);
    pods = { synced: true, objects: 1234 };
    text = await registry.metrics();
    assert.equal(sample(text, synced), 1);
    assert.equal(sample(text, objects), 1234);
  });

  it('leaves out a cache that does not exist (no Kubernetes access)', async () => {
    const registry = new Registry();
    registerCacheMetrics(registry, [
      { name: 'pods', state: () => ({ synced: undefined, objects: 0 }) },
      { name: 'clusterloggingconfigs', state: () => ({ synced: true, objects: 2 }) },
    ]);
    const text = await registry.metrics();
    assert.equal(sample(text, `${CACHE_METRIC_NAMES.synced}{cache="pods"}`), undefined);
    assert.equal(sample(text, `${CACHE_METRIC_NAMES.objects}{cache="clusterloggingconfigs"}`), 2);
  });
});
