// The central election's store on Kubernetes Leases in the operator namespace (SPEC §10.1): one Lease per
// scope, labelled so that one label-selected watch keeps a read cache of all of them. Writes are
// create-if-absent and replace-with-resourceVersion; the API server's 409 is the compare-and-swap.

import type { AccessReviewer } from '../kube/access-review.ts';
import { apiStatusOf, HTTP_FORBIDDEN } from '../kube/api-status.ts';
import { ELECTION_LEASE_VERBS } from '../kube/access-review.ts';
import { KubeConflictError, type LeaseClient, type LeaseObject, type LeaseWatch } from '../kube/leases.ts';
import type { Clock } from './clock.ts';
import { MANAGED_LABEL_KEY, MANAGED_LABEL_VALUE } from './constants.ts';
import {
  LeaseConflictError,
  LeaseStoreError,
  type ElectionLease,
  type LeaseStore,
  type LeaseWrite,
  type StoreReadiness,
} from './lease.ts';

export const MANAGED_LEASE_SELECTOR = `${MANAGED_LABEL_KEY}=${MANAGED_LABEL_VALUE}`;

/** A granted permission is re-checked after this long; a denial is re-checked at every probe. */
const PERMISSION_VERDICT_TTL_MS = 10_000;

export interface KubernetesLeaseStoreDeps {
  readonly client: LeaseClient;
  /** A watch selecting MANAGED_LEASE_SELECTOR in the operator namespace. */
  readonly watch: LeaseWatch;
  readonly reviewAccess: AccessReviewer;
  readonly namespace: string;
  readonly clock: Clock;
}

export class KubernetesLeaseStore implements LeaseStore {
  readonly #deps: KubernetesLeaseStoreDeps;
  #grantedAtMs: number | undefined;

  constructor(deps: KubernetesLeaseStoreDeps) {
    this.#deps = deps;
  }

  async get(name: string): Promise<ElectionLease | undefined> {
    try {
      const found = await this.#deps.client.read(name);
      return found === undefined ? undefined : toElectionLease(found);
    } catch (error) {
      throw storeError(error);
    }
  }

  async create(lease: LeaseWrite): Promise<ElectionLease> {
    try {
      return toElectionLease(await this.#deps.client.create(toLeaseContent(lease)));
    } catch (error) {
      throw storeError(error);
    }
  }

  async replace(lease: LeaseWrite, expectedResourceVersion: string): Promise<ElectionLease> {
    try {
      return toElectionLease(await this.#deps.client.replace(toLeaseContent(lease), expectedResourceVersion));
    } catch (error) {
      throw storeError(error);
    }
  }

  async delete(name: string, expectedResourceVersion: string): Promise<void> {
    // The watch selects MANAGED_LEASE_SELECTOR, so only Leases carrying our label are ever named here.
    try {
      await this.#deps.client.delete(name, expectedResourceVersion);
    } catch (error) {
      throw storeError(error);
    }
  }

  cached(name: string): ElectionLease | undefined {
    const found = this.#deps.watch.get(name);
    return found === undefined ? undefined : toElectionLease(found);
  }

  cachedAll(): readonly ElectionLease[] {
    return this.#deps.watch.list().map(toElectionLease);
  }

  cachedCount(): number {
    return this.#deps.watch.count();
  }

  isSynced(): boolean {
    return this.#deps.watch.hasSynced();
  }

  async checkReady(): Promise<StoreReadiness> {
    const nowMs = this.#deps.clock.monotonicMs();
    if (this.#grantedAtMs === undefined || nowMs - this.#grantedAtMs > PERMISSION_VERDICT_TTL_MS) {
      let denied: readonly string[];
      try {
        ({ denied } = await this.#deps.reviewAccess({
          group: 'coordination.k8s.io',
          resource: 'leases',
          namespace: this.#deps.namespace,
          verbs: ELECTION_LEASE_VERBS,
        }));
      } catch (error) {
        throw storeError(error);
      }
      if (denied.length > 0) {
        this.#grantedAtMs = undefined;
        throw new LeaseStoreError(
          'rbac_forbidden',
          `the operator may not ${denied.join(', ')} leases in namespace ${this.#deps.namespace}`,
        );
      }
      this.#grantedAtMs = nowMs;
    }
    return this.isSynced() ? { ready: true } : { ready: false, code: 'cache_not_ready' };
  }
}

export function toElectionLease(lease: LeaseObject): ElectionLease {
  return {
    name: lease.name,
    resourceVersion: lease.resourceVersion,
    holder: lease.holderIdentity,
    durationSeconds: lease.leaseDurationSeconds,
    epoch: lease.leaseTransitions,
    acquireTime: lease.acquireTime ?? new Date(0),
    renewTime: lease.renewTime ?? new Date(0),
  };
}

function toLeaseContent(lease: LeaseWrite) {
  return {
    name: lease.name,
    labels: { [MANAGED_LABEL_KEY]: MANAGED_LABEL_VALUE },
    annotations: {},
    holderIdentity: lease.holder,
    leaseDurationSeconds: lease.durationSeconds,
    leaseTransitions: lease.epoch,
    acquireTime: lease.acquireTime,
    renewTime: lease.renewTime,
  };
}

function storeError(error: unknown): Error {
  if (error instanceof KubeConflictError) return new LeaseConflictError(error.message);
  if (error instanceof LeaseStoreError || error instanceof LeaseConflictError) return error;
  const message = (error as Error).message;
  if (apiStatusOf(error) === HTTP_FORBIDDEN)
    return new LeaseStoreError('rbac_forbidden', message, { cause: error });
  return new LeaseStoreError('storage_unavailable', message, { cause: error });
}
