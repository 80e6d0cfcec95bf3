// Election metrics on the server's own registry. Labels are closed sets (operation, result, reason): no
// token, namespace or DataKit id ever becomes a label value, so cardinality stays fixed and nothing secret
// reaches Prometheus.

import { Counter, Gauge, type Registry } from 'prom-client';
import type { ElectionStatus } from './constants.ts';

export const ELECTION_METRIC_NAMES = {
  requests: 'datakit_operator_election_requests_total',
  transitions: 'datakit_operator_election_transitions_total',
  storageErrors: 'datakit_operator_election_storage_errors_total',
  casConflicts: 'datakit_operator_election_cas_conflicts_total',
  activeScopes: 'datakit_operator_election_active_scopes',
  knownScopes: 'datakit_operator_election_scopes',
  scopeLimit: 'datakit_operator_election_scope_limit_total',
  scopesCollected: 'datakit_operator_election_scopes_collected_total',
  taskMembers: 'datakit_operator_election_task_members',
  taskInputs: 'datakit_operator_election_task_inputs',
  taskLargestShare: 'datakit_operator_election_task_largest_share',
} as const;

/** What a request asked: the two central-election calls, its status probe, or a task-election poll. */
export type RequestOperation = 'campaign' | 'heartbeat' | 'status' | 'task';
export type RequestResult = ElectionStatus | 'ready';
/** Where a storage error happened: a request, the watch cache, publishing task membership, or collection. */
export type StorageOperation = 'campaign' | 'heartbeat' | 'status' | 'watch' | 'publish' | 'collect';
export type ConflictOperation = 'campaign' | 'heartbeat' | 'publish' | 'collect';
export type TransitionReason = 'first_acquire' | 'lease_expired';

export interface TaskElectionSizes {
  readonly members: number;
  readonly inputs: number;
  readonly largestShare: number;
}

export interface ElectionMetricSources {
  /** Scopes whose Lease was held at the last collection pass, judged like a campaign would judge them. */
  readonly activeScopes: () => number;
  /** Scopes this replica knows (what `election.max_scopes` bounds). */
  readonly knownScopes: () => number;
  readonly taskSizes: () => TaskElectionSizes;
}

export interface ElectionMetrics {
  recordRequest(operation: RequestOperation, result: RequestResult): void;
  recordTransition(reason: TransitionReason): void;
  recordStorageError(operation: StorageOperation): void;
  recordCasConflict(operation: ConflictOperation): void;
  /** A campaign refused because it would create one scope more than `election.max_scopes`. */
  recordScopeLimit(): void;
  recordScopesCollected(count: number): void;
}

export function buildElectionMetrics(
  registry: Registry,
  sources: () => ElectionMetricSources,
): ElectionMetrics {
  const registers = [registry];
  const requests = new Counter({
    name: ELECTION_METRIC_NAMES.requests,
    help: 'DataKit election requests by operation (campaign, heartbeat, status, task) and result.',
    labelNames: ['operation', 'result'] as const,
    registers,
  });
  const transitions = new Counter({
    name: ELECTION_METRIC_NAMES.transitions,
    help: 'Central-election leader changes by reason (first_acquire, lease_expired).',
    labelNames: ['reason'] as const,
    registers,
  });
  const storageErrors = new Counter({
    name: ELECTION_METRIC_NAMES.storageErrors,
    help: 'Election store failures (other than compare-and-swap conflicts) by operation.',
    labelNames: ['operation'] as const,
    registers,
  });
  const casConflicts = new Counter({
    name: ELECTION_METRIC_NAMES.casConflicts,
    help: 'Election writes that lost a resourceVersion compare-and-swap and were retried, by operation.',
    labelNames: ['operation'] as const,
    registers,
  });
  const scopeLimit = new Counter({
    name: ELECTION_METRIC_NAMES.scopeLimit,
    help: 'Campaigns refused with 503 scope_limit: they would have created one scope more than election.max_scopes.',
    registers,
  });
  const scopesCollected = new Counter({
    name: ELECTION_METRIC_NAMES.scopesCollected,
    help: 'Central-election scopes forgotten (Lease deleted) after being expired for 10 lease durations.',
    registers,
  });
  new Gauge({
    name: ELECTION_METRIC_NAMES.knownScopes,
    help: 'Central-election scopes (token and namespace pairs) this operator knows; bounded by election.max_scopes.',
    registers,
    collect() {
      this.set(sources().knownScopes());
    },
  });
  new Gauge({
    name: ELECTION_METRIC_NAMES.activeScopes,
    help: 'Central-election scopes (token and namespace pairs) whose Lease was held at the last collection pass (every 5 s).',
    registers,
    collect() {
      this.set(sources().activeScopes());
    },
  });
  new Gauge({
    name: ELECTION_METRIC_NAMES.taskMembers,
    help: 'Live DataKits in the task election (polled within the last 10 s, on any replica); a maintained count.',
    registers,
    collect() {
      this.set(sources().taskSizes().members);
    },
  });
  new Gauge({
    name: ELECTION_METRIC_NAMES.taskInputs,
    help: 'Inputs in the registered task-election task set.',
    registers,
    collect() {
      this.set(sources().taskSizes().inputs);
    },
  });
  new Gauge({
    name: ELECTION_METRIC_NAMES.taskLargestShare,
    help: 'The most inputs the task election currently assigns to one DataKit.',
    registers,
    collect() {
      this.set(sources().taskSizes().largestShare);
    },
  });

  // Zero-valued series from the start, so that rate() and alerts work before the first event.
  for (const operation of ['campaign', 'heartbeat'] as const) {
    for (const result of ['success', 'defeat', 'error'] as const) requests.inc({ operation, result }, 0);
    casConflicts.inc({ operation }, 0);
    storageErrors.inc({ operation }, 0);
  }
  for (const reason of ['first_acquire', 'lease_expired'] as const) transitions.inc({ reason }, 0);
  scopeLimit.inc(0);
  scopesCollected.inc(0);

  return {
    recordRequest: (operation, result) => requests.inc({ operation, result }),
    recordTransition: (reason) => transitions.inc({ reason }),
    recordStorageError: (operation) => storageErrors.inc({ operation }),
    recordCasConflict: (operation) => casConflicts.inc({ operation }),
    recordScopeLimit: () => scopeLimit.inc(),
    recordScopesCollected: (count) => scopesCollected.inc(count),
  };
}
