// The central election's coordinator (SPEC §10.1): decisions from central-decision.ts, carried out on a
// LeaseStore with a bounded compare-and-swap loop. Every success comes from a write the store accepted;
// a lost race re-reads and decides again, so a late heartbeat can never overwrite a new holder.

import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import { MAX_CAS_RETRIES, type StoreFailureCode } from './constants.ts';
import {
  buildAcquiredLease,
  buildRenewedLease,
  isCertainDefeat,
  resolveElectionStep,
  type ElectionOperation,
} from './central-decision.ts';
import {
  LeaseConflictError,
  LeaseStoreError,
  type ElectionLease,
  type LeaseStore,
  type StoreReadiness,
} from './lease.ts';
import { buildLeaseName } from './lease-name.ts';
import type { LeaseObservations } from './lease-observations.ts';
import type { ElectionMetrics } from './metrics.ts';

export interface ElectionQuery {
  readonly token: string;
  readonly namespace: string;
  readonly id: string;
}

export interface ElectionTiming {
  readonly leaseDurationSeconds: number;
  readonly intervalSeconds: number;
}

export type ElectionAnswer =
  | {
      readonly status: 'success' | 'defeat';
      /** The holder when the Lease is active, else empty. */
      readonly incumbencyId: string;
      readonly epoch: number;
      /** The Lease's own duration when there is one (it may predate a config change). */
      readonly leaseDurationSeconds: number | undefined;
    }
  | { readonly status: 'error'; readonly code: StoreFailureCode };

export interface CentralCoordinatorDeps {
  readonly store: LeaseStore;
  readonly observations: LeaseObservations;
  readonly clock: Clock;
  /** Read per request, so that a reloaded config applies to the next Lease written. */
  readonly timing: () => ElectionTiming;
  readonly metrics: ElectionMetrics;
  readonly logger: Logger;
}

export class CentralCoordinator {
  readonly #deps: CentralCoordinatorDeps;

  constructor(deps: CentralCoordinatorDeps) {
    this.#deps = deps;
  }

  campaign(query: ElectionQuery): Promise<ElectionAnswer> {
    return this.#elect('campaign', query);
  }

  heartbeat(query: ElectionQuery): Promise<ElectionAnswer> {
    return this.#elect('heartbeat', query);
  }

  async status(): Promise<StoreReadiness> {
    try {
      return await this.#deps.store.checkReady();
    } catch (error) {
      this.#storageFailure('status', 'check readiness', undefined, error);
      return { ready: false, code: failureCode(error) };
    }
  }

  /**
   * Starts the clock of a Lease version the moment the watch delivers it, rather than at the next request
   * that happens to look, so that this replica's view of expiry trails the write as little as possible.
   */
  observe(lease: ElectionLease): void {
    this.#deps.observations.firstSeenMs(lease, this.#deps.clock.monotonicMs());
  }

  /** Scopes whose Lease is held right now, from the cache (for the active-scopes gauge). */
  activeScopes(): number {
    const nowMs = this.#deps.clock.monotonicMs();
    return this.#deps.store.cachedAll().filter((lease) => this.#deps.observations.isActive(lease, nowMs))
      .length;
  }

  async #elect(operation: ElectionOperation, query: ElectionQuery): Promise<ElectionAnswer> {
    const { store, observations, clock } = this.#deps;
    if (!store.isSynced()) return { status: 'error', code: 'cache_not_ready' };
    const name = buildLeaseName(query.token, query.namespace);

    const cached = store.cached(name);
    if (cached !== undefined) {
      const active = observations.isActive(cached, clock.monotonicMs());
      if (isCertainDefeat(operation, cached, active, query.id)) return defeat(cached, active);
    }

    for (let writes = 0; ; writes++) {
      let lease: ElectionLease | undefined;
      try {
        lease = await store.get(name);
      } catch (error) {
        return this.#storageFailure(operation, 'read', name, error);
      }
      const active = observations.isActive(lease, clock.monotonicMs());
      const step = resolveElectionStep(operation, lease, active, query.id);
      if (step.kind === 'defeat') return defeat(lease, active);
      if (writes > MAX_CAS_RETRIES) {
        return this.#storageFailure(
          operation,
          'write',
          name,
          new Error(`still conflicting after ${writes} writes`),
        );
      }

      const { leaseDurationSeconds } = this.#deps.timing();
      const now = clock.now();
      let written: ElectionLease;
      try {
        if (step.kind === 'renew' && lease !== undefined) {
          written = await store.replace(
            buildRenewedLease(lease, leaseDurationSeconds, now),
            lease.resourceVersion,
          );
        } else {
          const acquired = buildAcquiredLease(
            { name, id: query.id, durationSeconds: leaseDurationSeconds, now },
            lease,
          );
          written =
            lease === undefined
              ? await store.create(acquired)
              : await store.replace(acquired, lease.resourceVersion);
        }
      } catch (error) {
        if (error instanceof LeaseConflictError) {
          this.#deps.metrics.recordCasConflict(operation);
          continue;
        }
        return this.#storageFailure(operation, 'write', name, error);
      }
      // The new version's lifetime starts now on this replica.
      observations.firstSeenMs(written, clock.monotonicMs());
      if (operation === 'campaign') {
        const reason = lease === undefined ? 'first_acquire' : 'lease_expired';
        this.#deps.metrics.recordTransition(reason);
        this.#deps.logger.info(
          { lease: name, holder: written.holder, epoch: written.epoch, reason },
          'DataKit election: new leader',
        );
      }
      return {
        status: 'success',
        incumbencyId: written.holder,
        epoch: written.epoch,
        leaseDurationSeconds: written.durationSeconds,
      };
    }
  }

  #storageFailure(
    operation: ElectionOperation | 'status',
    action: string,
    lease: string | undefined,
    error: unknown,
  ): { status: 'error'; code: StoreFailureCode } {
    const code = failureCode(error);
    this.#deps.metrics.recordStorageError(operation);
    // The Lease name is a hash: it identifies the scope without revealing its token or namespace.
    this.#deps.logger.error(
      { operation, action, lease, code, err: error },
      'DataKit election: the Lease store failed; answering 503',
    );
    return { status: 'error', code };
  }
}

function defeat(lease: ElectionLease | undefined, active: boolean): ElectionAnswer {
  return {
    status: 'defeat',
    incumbencyId: active && lease !== undefined ? lease.holder : '',
    epoch: lease?.epoch ?? 0,
    leaseDurationSeconds: lease?.durationSeconds,
  };
}

function failureCode(error: unknown): StoreFailureCode {
  return error instanceof LeaseStoreError ? error.code : 'storage_unavailable';
}
