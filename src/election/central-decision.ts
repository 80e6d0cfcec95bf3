// The rules of the central election (SPEC §10.1), as a pure function of what the store holds:
//   campaign:  no Lease → create (epoch 1); expired or free → take over (epoch + 1); active → defeat,
//              even for the current holder (a holder renews with a heartbeat, never by campaigning);
//   heartbeat: active and held by the caller → renew; anything else → defeat.

import type { ElectionLease, LeaseWrite } from './lease.ts';

export type ElectionOperation = 'campaign' | 'heartbeat';

export type ElectionStep =
  | { readonly kind: 'defeat' }
  | { readonly kind: 'create' }
  | { readonly kind: 'take-over' }
  | { readonly kind: 'renew' };

export function resolveElectionStep(
  operation: ElectionOperation,
  lease: ElectionLease | undefined,
  active: boolean,
  id: string,
): ElectionStep {
  if (operation === 'campaign') {
    if (lease === undefined) return { kind: 'create' };
    return active ? { kind: 'defeat' } : { kind: 'take-over' };
  }
  return lease !== undefined && active && lease.holder === id ? { kind: 'renew' } : { kind: 'defeat' };
}

/** Only negative answers may come from the (possibly lagging) cache: a success needs a store write. */
export function isCertainDefeat(
  operation: ElectionOperation,
  cached: ElectionLease,
  active: boolean,
  id: string,
): boolean {
  return active && (operation === 'campaign' || cached.holder !== id);
}

export interface LeaseTerms {
  readonly name: string;
  readonly id: string;
  readonly durationSeconds: number;
  readonly now: Date;
}

/** The Lease a campaign writes: a new one, or `previous` taken over with the next epoch. */
export function buildAcquiredLease(terms: LeaseTerms, previous: ElectionLease | undefined): LeaseWrite {
  return {
    name: terms.name,
    holder: terms.id,
    durationSeconds: terms.durationSeconds,
    epoch: (previous?.epoch ?? 0) + 1,
    acquireTime: terms.now,
    renewTime: terms.now,
  };
}

/** The Lease a heartbeat writes: same holder and epoch, a new renew time (and so a new resourceVersion). */
export function buildRenewedLease(current: ElectionLease, durationSeconds: number, now: Date): LeaseWrite {
  return {
    name: current.name,
    holder: current.holder,
    durationSeconds,
    epoch: current.epoch,
    acquireTime: current.acquireTime,
    renewTime: now,
  };
}
