// Expiry on this replica's own monotonic clock (SPEC §10.1): a Lease version counts from the moment this
// replica FIRST saw its resourceVersion, never from its `renewTime`, which another node's wall clock wrote.
// A version seen for the first time after a restart therefore gets a full lease period: waiting too long
// is safe, taking over too early is not.
//
// Several versions per Lease are remembered because the watch cache may still show an older version after
// the store showed a newer one; re-seeing the older one must not restart any timer.

import type { ElectionLease } from './lease.ts';

const VERSIONS_KEPT_PER_LEASE = 4;

interface LeaseVersions {
  /** resourceVersion → monotonic ms when first seen; insertion order = age. */
  readonly firstSeen: Map<string, number>;
  lastTouchedMs: number;
}

export class LeaseObservations {
  /** Least recently touched first: a touch moves an entry to the end, so forgetting reads only the front. */
  readonly #leases = new Map<string, LeaseVersions>();
  readonly #forgetAfterMs: number;

  /** Leases not looked at for `forgetAfterMs` are forgotten, so scopes that stop campaigning cost nothing. */
  constructor(forgetAfterMs: number) {
    this.#forgetAfterMs = forgetAfterMs;
  }

  /** When this replica first saw this version of the Lease (recording `nowMs` if it is new). */
  firstSeenMs(lease: Pick<ElectionLease, 'name' | 'resourceVersion'>, nowMs: number): number {
    let versions = this.#leases.get(lease.name);
    if (versions === undefined) {
      this.#forgetIdle(nowMs);
      versions = { firstSeen: new Map(), lastTouchedMs: nowMs };
    } else {
      this.#leases.delete(lease.name);
    }
    this.#leases.set(lease.name, versions);
    versions.lastTouchedMs = nowMs;
    const known = versions.firstSeen.get(lease.resourceVersion);
    if (known !== undefined) return known;
    versions.firstSeen.set(lease.resourceVersion, nowMs);
    if (versions.firstSeen.size > VERSIONS_KEPT_PER_LEASE) {
      const oldest = versions.firstSeen.keys().next();
      if (oldest.done !== true) versions.firstSeen.delete(oldest.value);
    }
    return nowMs;
  }

  /** Milliseconds left before the Lease may be taken over; 0 when it is free or expired. */
  remainingMs(lease: ElectionLease, nowMs: number): number {
    if (lease.holder === '' || lease.durationSeconds <= 0) return 0;
    const elapsed = nowMs - this.firstSeenMs(lease, nowMs);
    return Math.max(0, lease.durationSeconds * 1000 - elapsed);
  }

  isActive(lease: ElectionLease | undefined, nowMs: number): boolean {
    return lease !== undefined && this.remainingMs(lease, nowMs) > 0;
  }

  /** How long the Lease has been expired (free Leases count from when this version was first seen). */
  expiredForMs(lease: ElectionLease, nowMs: number): number {
    const since = this.firstSeenMs(lease, nowMs);
    const lifetimeMs = lease.holder === '' ? 0 : Math.max(0, lease.durationSeconds) * 1000;
    return Math.max(0, nowMs - since - lifetimeMs);
  }

  /** The Lease is gone (collected): nothing about it is worth keeping. */
  forget(name: string): void {
    this.#leases.delete(name);
  }

  /** How many Leases are remembered (for tests of the forgetting). */
  get size(): number {
    return this.#leases.size;
  }

  /** O(forgotten): the front of the map is the least recently touched. */
  #forgetIdle(nowMs: number): void {
    for (const [name, versions] of this.#leases) {
      if (nowMs - versions.lastTouchedMs <= this.#forgetAfterMs) return;
      this.#leases.delete(name);
    }
  }
}
