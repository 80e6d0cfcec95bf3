// The central election's coordinator (SPEC §10.1): decisions from central-decision.ts, carried out on a
// LeaseStore with a bounded compare-and-swap loop. Every success comes from a write the store accepted;
// a lost race re-reads and decides again, so a late heartbeat can never overwrite a new holder.

import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import {
  FORGET_EXPIRED_SCOPE_LEASES,
  MAX_CAS_RETRIES,
  type ElectionFailureCode,
  type StoreFailureCode,
} from './constants.ts';
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
  type LeaseWrite,
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
  | { readonly status: 'error'; readonly code: ElectionFailureCode };

export interface CentralCoordinatorDeps {
  readonly store: LeaseStore;
  readonly observations: LeaseObservations;
  readonly clock: Clock;
  /** Read per request, so that a reloaded config applies to the next Lease written. */
  readonly timing: () => ElectionTiming;
  /** `election.max_scopes`, read per request. */
  readonly maxScopes: () => number;
  readonly metrics: ElectionMetrics;
  readonly logger: Logger;
}

/** A Lease this replica read or wrote that the cache does not show yet is remembered for this long. */
const UNWATCHED_LEASE_MS = 60_000;

export interface CollectionResult {
  /** Scopes whose Lease is held. */
  readonly active: number;
  /** Scopes forgotten (their Lease deleted) by this pass. */
  readonly collected: number;
}

export class CentralCoordinator {
  readonly #deps: CentralCoordinatorDeps;
  /**
   * Leases this replica read or wrote while its cache did not show them yet (a scope just created): they
   * count towards the scope limit and answer rival campaigns with a defeat until the watch catches up.
   */
  readonly #unwatched = new Map<string, { readonly lease: ElectionLease; readonly atMs: number }>();
  /** Scope → the tail of its requests on this replica: one at a time, so a race costs one store round. */
  readonly #queues = new Map<string, Promise<ElectionAnswer>>();
  #creating = 0;
  #activeScopes = 0;

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
    this.#unwatched.delete(lease.name);
    this.#deps.observations.firstSeenMs(lease, this.#deps.clock.monotonicMs());
  }

  /** Scopes whose Lease was held at the last collection pass (the active-scopes gauge: nothing recomputed). */
  activeScopes(): number {
    return this.#activeScopes;
  }

  /** Scopes this replica knows: the cache plus its own creations the cache does not show yet. */
  knownScopes(): number {
    return this.#deps.store.cachedCount() + this.#unwatched.size + this.#creating;
  }

  /**
   * Forgets every scope whose Lease has been expired for FORGET_EXPIRED_SCOPE_LEASES lease durations
   * (SPEC §10.1): its Lease is deleted at the version judged expired, so a campaign that renewed it in the
   * meantime wins. Runs on a timer, O(scopes), which `election.max_scopes` bounds.
   */
  async collectExpired(): Promise<CollectionResult> {
    const { store, observations, clock } = this.#deps;
    const nowMs = clock.monotonicMs();
    const forgetAfterMs = FORGET_EXPIRED_SCOPE_LEASES * this.#deps.timing().leaseDurationSeconds * 1000;
    for (const [name, { atMs }] of this.#unwatched) {
      if (store.cached(name) !== undefined || nowMs - atMs > UNWATCHED_LEASE_MS) this.#unwatched.delete(name);
    }
    let active = 0;
    const expired: ElectionLease[] = [];
    for (const lease of store.cachedAll()) {
      if (observations.isActive(lease, nowMs)) active += 1;
      else if (observations.expiredForMs(lease, nowMs) > forgetAfterMs) expired.push(lease);
    }
    this.#activeScopes = active;
    let collected = 0;
    for (const lease of expired) {
      try {
        await store.delete(lease.name, lease.resourceVersion);
      } catch (error) {
        if (error instanceof LeaseConflictError) {
          this.#deps.metrics.recordCasConflict('collect');
          continue;
        }
        this.#storageFailure('collect', 'delete', lease.name, error);
        break;
      }
      observations.forget(lease.name);
      this.#unwatched.delete(lease.name);
      collected += 1;
    }
    if (collected > 0) {
      this.#deps.metrics.recordScopesCollected(collected);
      this.#deps.logger.info({ collected, active }, 'DataKit election: forgot expired scopes');
    }
    return { active, collected };
  }

  #elect(operation: ElectionOperation, query: ElectionQuery): Promise<ElectionAnswer> {
    if (!this.#deps.store.isSynced()) return Promise.resolve({ status: 'error', code: 'cache_not_ready' });
    const name = buildLeaseName(query.token, query.namespace);
    // Many DataKits campaign at the same moment (a restart of the fleet). In turn, the first one's write is
    // known to the next before it asks the store, so a race of N costs one store round, not N (with a
    // loaded API server, N concurrent compare-and-swap rounds took longer than DataKit's 2 s timeout).
    const previous = this.#queues.get(name);
    const run = () => this.#decide(operation, query, name);
    const next = previous === undefined ? run() : previous.then(run, run);
    this.#queues.set(name, next);
    const done = () => {
      if (this.#queues.get(name) === next) this.#queues.delete(name);
    };
    next.then(done, done);
    return next;
  }

  /** The freshest Lease this replica knows without asking the store (may lag: only good for a defeat). */
  #known(name: string): ElectionLease | undefined {
    return this.#deps.store.cached(name) ?? this.#unwatched.get(name)?.lease;
  }

  #remember(lease: ElectionLease | undefined): void {
    if (lease === undefined || this.#deps.store.cached(lease.name) !== undefined) return;
    this.#unwatched.set(lease.name, { lease, atMs: this.#deps.clock.monotonicMs() });
  }

  async #decide(operation: ElectionOperation, query: ElectionQuery, name: string): Promise<ElectionAnswer> {
    const { store, observations, clock } = this.#deps;
    const cached = this.#known(name);
    // A flood of new scopes is refused here, before any store round-trip: O(1) per request.
    if (cached === undefined && operation === 'campaign' && this.#atScopeLimit()) return this.#scopeLimit();
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
      this.#remember(lease);
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
          if (lease === undefined) {
            if (this.#atScopeLimit()) return this.#scopeLimit();
            written = await this.#createScope(acquired);
          } else {
            written = await store.replace(acquired, lease.resourceVersion);
          }
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
      this.#remember(written);
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

  #atScopeLimit(): boolean {
    return this.knownScopes() >= this.#deps.maxScopes();
  }

  #scopeLimit(): ElectionAnswer {
    this.#deps.metrics.recordScopeLimit();
    return { status: 'error', code: 'scope_limit' };
  }

  /** Creations in flight count towards the limit, so concurrent campaigns cannot overshoot it. */
  async #createScope(lease: LeaseWrite): Promise<ElectionLease> {
    this.#creating += 1;
    try {
      return await this.#deps.store.create(lease);
    } finally {
      this.#creating -= 1;
    }
  }

  #storageFailure(
    operation: ElectionOperation | 'status' | 'collect',
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
