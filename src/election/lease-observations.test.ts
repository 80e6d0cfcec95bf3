import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ElectionLease } from './lease.ts';
import { LeaseObservations } from './lease-observations.ts';

function lease(resourceVersion: string, overrides: Partial<ElectionLease> = {}): ElectionLease {
  return {
    name: 'datakit-election-x',
    resourceVersion,
    holder: 'a',
    durationSeconds: 30,
    epoch: 1,
    // Written by some other node: deliberately far in the past, it must not matter.
    acquireTime: new Date('2000-01-01T00:00:00Z'),
    renewTime: new Date('2000-01-01T00:00:00Z'),
    ...overrides,
  };
}

describe('LeaseObservations', () => {
  it('counts a version from when this replica first saw it, not from its renewTime', () => {
    const observations = new LeaseObservations(60_000);
    assert.equal(observations.remainingMs(lease('1'), 5_000), 30_000);
    assert.equal(observations.remainingMs(lease('1'), 25_000), 10_000);
    assert.equal(observations.remainingMs(lease('1'), 35_000), 0);
  });

  it('restarts the count when the resourceVersion changes', () => {
    const observations = new LeaseObservations(60_000);
    observations.remainingMs(lease('1'), 0);
    assert.equal(observations.remainingMs(lease('2'), 20_000), 30_000);
  });

  it('does not restart the count when a lagging cache shows an older version again', () => {
    const observations = new LeaseObservations(60_000);
    observations.remainingMs(lease('1'), 0);
    observations.remainingMs(lease('2'), 10_000);
    assert.equal(observations.remainingMs(lease('1'), 20_000), 10_000);
    assert.equal(observations.remainingMs(lease('2'), 20_000), 20_000);
  });

  const inactive: readonly [string, Partial<ElectionLease>][] = [
    ['a Lease without a holder', { holder: '' }],
    ['a Lease without a duration', { durationSeconds: 0 }],
  ];
  for (const [what, overrides] of inactive) {
    it(`treats ${what} as free`, () => {
      const observations = new LeaseObservations(60_000);
      assert.equal(observations.isActive(lease('1', overrides), 0), false);
    });
  }

  it('treats no Lease at all as inactive', () => {
    assert.equal(new LeaseObservations(60_000).isActive(undefined, 0), false);
  });

  it('forgets Leases nobody looked at for the forget period', () => {
    const observations = new LeaseObservations(60_000);
    observations.firstSeenMs(lease('1', { name: 'old' }), 0);
    observations.firstSeenMs(lease('1', { name: 'new' }), 61_000);
    assert.equal(observations.size, 1);
    // Seen again after being forgotten: a full period from now (the safe direction).
    assert.equal(observations.remainingMs(lease('1', { name: 'old' }), 62_000), 30_000);
  });
});
