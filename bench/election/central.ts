// Central-election campaigns per second on the memory store, in process (no HTTP): campaigns that win a
// new scope (up to election.max_scopes), campaigns that lose to the holder (answered from the cache), and
// the flood of 100,000 distinct scopes the issue measured, with the heap it leaves behind. The baseline
// is what a campaign costs at minimum: hashing its scope into the Lease name.

import { pino } from 'pino';
import { CentralCoordinator } from '../../src/election/central-coordinator.ts';
import { buildLeaseName } from '../../src/election/lease-name.ts';
import { LeaseObservations } from '../../src/election/lease-observations.ts';
import type { ElectionMetrics } from '../../src/election/metrics.ts';
import { MemoryLeaseStore } from '../../src/election/store-memory.ts';
import { settledHeapMiB } from './heap.ts';
import { ManualClock } from './manual-clock.ts';

export const FLOOD_SCOPES = 100_000;
const MAX_SCOPES = 1_000;

const NO_METRICS: ElectionMetrics = {
  recordRequest: () => {},
  recordTransition: () => {},
  recordStorageError: () => {},
  recordCasConflict: () => {},
  recordScopeLimit: () => {},
  recordScopesCollected: () => {},
};

export interface CentralFigures {
  readonly winsPerSecond: number;
  readonly defeatsPerSecond: number;
  readonly floodPerSecond: number;
  readonly hashesPerSecond: number;
  /** The longest single campaign of the flood (campaigns yield, so this is wall time, not a block). */
  readonly worstFloodCampaignMs: number;
  readonly heapBeforeMiB: number;
  readonly heapAfterFloodMiB: number;
  readonly scopesAfterFlood: number;
  readonly observationsAfterFlood: number;
}

function buildCoordinator() {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  const observations = new LeaseObservations(60 * 60_000);
  const coordinator = new CentralCoordinator({
    store,
    observations,
    clock,
    timing: () => ({ leaseDurationSeconds: 30, intervalSeconds: 3 }),
    maxScopes: () => MAX_SCOPES,
    metrics: NO_METRICS,
    logger: pino({ level: 'silent' }),
  });
  return { coordinator, store, observations };
}

export async function measureCentral(quick: boolean): Promise<CentralFigures> {
  const wins = buildCoordinator();
  let started = performance.now();
  for (let scope = 0; scope < MAX_SCOPES; scope++)
    await wins.coordinator.campaign({ token: `t-${scope}`, namespace: 'ns', id: 'dk-1' });
  const winsPerSecond = MAX_SCOPES / ((performance.now() - started) / 1000);

  const defeatsCount = quick ? 2_000 : 50_000;
  started = performance.now();
  for (let index = 0; index < defeatsCount; index++)
    await wins.coordinator.campaign({ token: `t-${index % MAX_SCOPES}`, namespace: 'ns', id: 'dk-2' });
  const defeatsPerSecond = defeatsCount / ((performance.now() - started) / 1000);

  started = performance.now();
  for (let index = 0; index < defeatsCount; index++) buildLeaseName(`t-${index % MAX_SCOPES}`, 'ns');
  const hashesPerSecond = defeatsCount / ((performance.now() - started) / 1000);

  const flood = buildCoordinator();
  const heapBeforeMiB = settledHeapMiB();
  let worstFloodCampaignMs = 0;
  started = performance.now();
  for (let scope = 0; scope < FLOOD_SCOPES; scope++) {
    const one = performance.now();
    await flood.coordinator.campaign({ token: `flood-${scope}`, namespace: `ns-${scope}`, id: 'x' });
    worstFloodCampaignMs = Math.max(worstFloodCampaignMs, performance.now() - one);
  }
  const floodPerSecond = FLOOD_SCOPES / ((performance.now() - started) / 1000);
  const heapAfterFloodMiB = settledHeapMiB();
  return {
    winsPerSecond,
    defeatsPerSecond,
    floodPerSecond,
    hashesPerSecond,
    worstFloodCampaignMs,
    heapBeforeMiB,
    heapAfterFloodMiB,
    scopesAfterFlood: flood.store.cachedCount(),
    observationsAfterFlood: flood.observations.size,
  };
}
