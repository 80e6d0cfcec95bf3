// Any pod can reach the central election without credentials (SPEC §10.1, bounds): a flood of 100,000
// distinct (token, namespace) scopes leaves bounded state in both stores — at most election.max_scopes
// scopes, Leases and expiry observations — and once the flood's Leases have been expired for 10 lease
// durations they are collected and new scopes are accepted again. Counts only: the heap is measured by
// the election bench, never asserted here as a size or a time.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { CentralCoordinator, type ElectionQuery } from '../../src/election/central-coordinator.ts';
import { MANAGED_LABEL_KEY } from '../../src/election/constants.ts';
import { LeaseObservations } from '../../src/election/lease-observations.ts';
import { MemoryLeaseStore } from '../../src/election/store-memory.ts';
import { buildLeaseClient } from '../../src/kube/leases.ts';
import { FakeClock } from './fake-clock.ts';
import { FakeKubeApi } from './fake-kube-api.ts';
import { buildKubeReplica, OPERATOR_NAMESPACE, type KubeReplica } from './kubernetes-harness.ts';
import { RecordingMetrics } from './recording-metrics.ts';
import { waitUntil } from './wait.ts';

const FLOOD = 100_000;
const LEASE_SECONDS = 30;
/** Past 10 lease durations of expiry, after the lease itself. */
const COLLECTABLE_AFTER_MS = (LEASE_SECONDS + 10 * LEASE_SECONDS) * 1000 + 1;

const flooding = (index: number): ElectionQuery => ({
  token: `flood-${index}`,
  namespace: `ns-${index}`,
  id: 'attacker',
});

async function flood(coordinator: CentralCoordinator, count: number): Promise<Map<string, number>> {
  const outcomes = new Map<string, number>();
  for (let index = 0; index < count; index++) {
    const answer = await coordinator.campaign(flooding(index));
    const outcome = answer.status === 'error' ? answer.code : answer.status;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return outcomes;
}

describe('a flood of distinct central-election scopes', () => {
  it('keeps the memory store at max_scopes scopes, refuses the rest with scope_limit, and collects them', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const observations = new LeaseObservations(60 * 60_000);
    const metrics = new RecordingMetrics();
    const maxScopes = 1000;
    const coordinator = new CentralCoordinator({
      store,
      observations,
      clock,
      timing: () => ({ leaseDurationSeconds: LEASE_SECONDS, intervalSeconds: 3 }),
      maxScopes: () => maxScopes,
      metrics,
      logger: pino({ level: 'silent' }),
    });

    const outcomes = await flood(coordinator, FLOOD);
    assert.deepEqual(Object.fromEntries(outcomes), { success: maxScopes, scope_limit: FLOOD - maxScopes });
    assert.equal(store.cachedCount(), maxScopes);
    assert.ok(observations.size <= maxScopes, `${observations.size} observations`);
    assert.equal(metrics.count('scope-limit'), FLOOD - maxScopes);

    clock.advance(COLLECTABLE_AFTER_MS);
    assert.deepEqual(await coordinator.collectExpired(), { active: 0, collected: maxScopes });
    assert.equal(store.cachedCount(), 0);
    assert.equal(observations.size, 0);
    assert.equal(
      (await coordinator.campaign({ token: 'real', namespace: 'prod', id: 'dk-1' })).status,
      'success',
    );
  });

  describe('on the Kubernetes store', () => {
    let api: FakeKubeApi;
    let replica: KubeReplica;
    const clock = new FakeClock();
    const maxScopes = 50;
    const decoy = 'datakit-election-not-ours';

    before(async () => {
      api = await FakeKubeApi.start();
      replica = buildKubeReplica(api, clock, { maxScopes });
      await waitUntil(() => replica.store.isSynced(), 'the Lease watch to sync');
    });
    after(async () => {
      await replica.watch.stop();
      await api.close();
    });

    it('creates at most max_scopes Leases however many scopes are sent', async () => {
      const outcomes = await flood(replica.coordinator, FLOOD);
      assert.deepEqual(Object.fromEntries(outcomes), { success: maxScopes, scope_limit: FLOOD - maxScopes });
      assert.equal(api.leaseNames(OPERATOR_NAMESPACE).length, maxScopes);
      assert.equal(
        api.requests.filter((request) => request.startsWith('POST /apis/coordination.k8s.io')).length,
        maxScopes,
        'a refused campaign never reaches the API server',
      );
    });

    it('deletes the expired Leases (with a precondition) and leaves a Lease without our label alone', async () => {
      // Named like ours, expired long ago, but without our label: not ours to delete.
      await buildLeaseClient(api.kubeConfig(), OPERATOR_NAMESPACE).create({
        name: decoy,
        labels: { [MANAGED_LABEL_KEY]: 'false' },
        annotations: {},
        holderIdentity: 'someone',
        leaseDurationSeconds: 1,
        leaseTransitions: 1,
        acquireTime: new Date(0),
        renewTime: new Date(0),
      });
      await waitUntil(() => replica.store.cachedCount() === maxScopes, 'the cache to hold every flood Lease');
      clock.advance(COLLECTABLE_AFTER_MS);
      assert.deepEqual(await replica.coordinator.collectExpired(), { active: 0, collected: maxScopes });
      assert.deepEqual(api.leaseNames(OPERATOR_NAMESPACE), [decoy]);
      assert.ok(
        api.requests.every((request) => !request.startsWith('DELETE') || !request.endsWith(`/${decoy}`)),
        'the unlabelled Lease was never named in a DELETE',
      );
    });
  });
});
