// One operator replica's central-election stack on the fake API server: Lease client, label-selected
// watch, access reviewer, store and coordinator, with its own observations (as a separate process has).

import { pino } from 'pino';
import { CentralCoordinator } from '../../src/election/central-coordinator.ts';
import { LeaseObservations } from '../../src/election/lease-observations.ts';
import {
  KubernetesLeaseStore,
  MANAGED_LEASE_SELECTOR,
  toElectionLease,
} from '../../src/election/store-kubernetes.ts';
import { buildAccessReviewer } from '../../src/kube/access-review.ts';
import { buildLeaseClient, watchLeases, type LeaseWatch } from '../../src/kube/leases.ts';
import type { FakeKubeApi } from './fake-kube-api.ts';
import type { FakeClock } from './fake-clock.ts';
import { RecordingMetrics } from './recording-metrics.ts';

export const OPERATOR_NAMESPACE = 'datakit';

export interface KubeReplica {
  readonly coordinator: CentralCoordinator;
  readonly store: KubernetesLeaseStore;
  readonly watch: LeaseWatch;
  readonly metrics: RecordingMetrics;
  readonly watchErrors: unknown[];
}

export function buildKubeReplica(
  api: FakeKubeApi,
  clock: FakeClock,
  options: { start?: boolean; maxScopes?: number } = {},
): KubeReplica {
  const config = api.kubeConfig();
  const watchErrors: unknown[] = [];
  const watch = watchLeases(config, OPERATOR_NAMESPACE, {
    labelSelector: MANAGED_LEASE_SELECTOR,
    onError: (error) => watchErrors.push(error),
    onChange: (lease) => coordinator.observe(toElectionLease(lease)),
    initialBackoffMs: 20,
    maxBackoffMs: 100,
  });
  const store = new KubernetesLeaseStore({
    client: buildLeaseClient(config, OPERATOR_NAMESPACE),
    watch,
    reviewAccess: buildAccessReviewer(config),
    namespace: OPERATOR_NAMESPACE,
    clock,
  });
  const metrics = new RecordingMetrics();
  const coordinator = new CentralCoordinator({
    store,
    observations: new LeaseObservations(600_000),
    clock,
    timing: () => ({ leaseDurationSeconds: 30, intervalSeconds: 3 }),
    maxScopes: () => options.maxScopes ?? 1000,
    metrics,
    logger: pino({ level: 'silent' }),
  });
  if (options.start !== false) watch.start();
  return { coordinator, store, watch, metrics, watchErrors };
}
