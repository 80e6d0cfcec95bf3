// The embedded default store (SPEC §1): Leases in this process's memory, with the same compare-and-swap
// semantics as the API server (a counter as resourceVersion, conflict on a stale one), so the coordinator
// behaves identically on both stores. One replica only: state does not survive a restart.

import {
  LeaseConflictError,
  type ElectionLease,
  type LeaseStore,
  type LeaseWrite,
  type StoreReadiness,
} from './lease.ts';

export class MemoryLeaseStore implements LeaseStore {
  readonly #leases = new Map<string, ElectionLease>();
  #lastVersion = 0;

  async get(name: string): Promise<ElectionLease | undefined> {
    await settle();
    return this.#leases.get(name);
  }

  async create(lease: LeaseWrite): Promise<ElectionLease> {
    await settle();
    if (this.#leases.has(lease.name))
      throw new LeaseConflictError(`election Lease ${lease.name} already exists`);
    return this.#store(lease);
  }

  async replace(lease: LeaseWrite, expectedResourceVersion: string): Promise<ElectionLease> {
    await settle();
    const current = this.#leases.get(lease.name);
    if (current === undefined) throw new LeaseConflictError(`election Lease ${lease.name} no longer exists`);
    if (current.resourceVersion !== expectedResourceVersion) {
      throw new LeaseConflictError(`election Lease ${lease.name} was changed by another write`);
    }
    return this.#store(lease);
  }

  async delete(name: string, expectedResourceVersion: string): Promise<void> {
    await settle();
    const current = this.#leases.get(name);
    if (current === undefined) return;
    if (current.resourceVersion !== expectedResourceVersion) {
      throw new LeaseConflictError(`election Lease ${name} was changed by another write`);
    }
    this.#leases.delete(name);
  }

  cached(name: string): ElectionLease | undefined {
    return this.#leases.get(name);
  }

  cachedAll(): readonly ElectionLease[] {
    return [...this.#leases.values()];
  }

  cachedCount(): number {
    return this.#leases.size;
  }

  isSynced(): boolean {
    return true;
  }

  async checkReady(): Promise<StoreReadiness> {
    return { ready: true };
  }

  #store(lease: LeaseWrite): ElectionLease {
    this.#lastVersion += 1;
    const stored: ElectionLease = Object.freeze({ ...lease, resourceVersion: String(this.#lastVersion) });
    this.#leases.set(lease.name, stored);
    return stored;
  }
}

/** Yields once, as a network call would, so concurrent requests interleave the way they do on the API server. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
