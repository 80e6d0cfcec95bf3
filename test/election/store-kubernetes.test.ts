import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildLeaseName } from '../../src/election/lease-name.ts';
import type { ElectionQuery } from '../../src/election/central-coordinator.ts';
import { FakeClock } from './fake-clock.ts';
import { FakeKubeApi, FakeStatusError } from './fake-kube-api.ts';
import { buildKubeReplica, OPERATOR_NAMESPACE, type KubeReplica } from './kubernetes-harness.ts';
import { lose, REFERENCE_LIFECYCLE, win } from './reference-lifecycle.ts';
import { waitUntil } from './wait.ts';

const query = (id: string, token = 'secret', namespace = 'prod'): ElectionQuery => ({ token, namespace, id });
const SCOPE = buildLeaseName('secret', 'prod');

async function synced(replica: KubeReplica): Promise<KubeReplica> {
  await waitUntil(() => replica.store.isSynced(), 'the Lease watch to sync');
  return replica;
}

describe('the Kubernetes Lease store on a fake API server', () => {
  let api: FakeKubeApi;
  const replicas: KubeReplica[] = [];
  const replica = async (clock: FakeClock, options: { start?: boolean } = {}) => {
    const built = buildKubeReplica(api, clock, options);
    replicas.push(built);
    return options.start === false ? built : synced(built);
  };

  before(async () => {
    api = await FakeKubeApi.start();
  });
  after(async () => {
    await Promise.all(replicas.map((each) => each.watch.stop()));
    await api.close();
  });

  describe('runs the SPEC §10.1 reference lifecycle', () => {
    const clock = new FakeClock();
    let operator: KubeReplica;
    before(async () => {
      operator = await replica(clock);
    });
    let elapsedSeconds = 0;
    for (const step of REFERENCE_LIFECYCLE) {
      it(step.why, async () => {
        clock.advance((step.atSeconds - elapsedSeconds) * 1000);
        elapsedSeconds = step.atSeconds;
        assert.deepEqual(await operator.coordinator[step.operation](query(step.id)), step.expected);
      });
    }

    it('stored one labelled Lease per scope under the hashed name, never the token', () => {
      const lease = api.lease(OPERATOR_NAMESPACE, SCOPE) as {
        metadata: Record<string, unknown>;
        spec: Record<string, unknown>;
      };
      assert.ok(lease, 'the Lease exists');
      assert.deepEqual(lease.metadata['labels'], { 'election.datakits.io/managed': 'true' });
      assert.equal(lease.spec['holderIdentity'], 'b');
      assert.equal(lease.spec['leaseTransitions'], 2);
      assert.equal(lease.spec['leaseDurationSeconds'], 30);
      assert.match(String(lease.spec['renewTime']), /\.\d{6}Z$/);
      assert.ok(!JSON.stringify(lease).includes('secret'));
      assert.ok(!JSON.stringify(lease).includes('prod'));
    });
  });

  it('gives exactly one winner to 64 concurrent campaigns spread over 2 replicas', async () => {
    const clock = new FakeClock();
    const pair = [await replica(clock), await replica(clock)];
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, index) =>
        pair[index % 2]!.coordinator.campaign(query(`dk-${index}`, 'race')),
      ),
    );
    const winners = answers.filter((answer) => answer.status === 'success');
    assert.equal(winners.length, 1);
    assert.equal(answers.filter((answer) => answer.status === 'defeat').length, 63);
  });

  it('never lets a late heartbeat overwrite a new holder', async () => {
    const clock = new FakeClock();
    // Two replicas (one replica takes a scope's requests one at a time); the second sees the Lease at t0.
    const [operator, other] = [await replica(clock), await replica(clock)];
    const late = query('a', 'late');
    assert.deepEqual(await operator.coordinator.campaign(late), win('a', 1));
    const name = buildLeaseName('late', 'prod');
    await waitUntil(() => other.store.cached(name)?.holder === 'a', 'the other replica to see the Lease');

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reachedWrite!: () => void;
    const atWrite = new Promise<void>((resolve) => (reachedWrite = resolve));
    api.beforeWrite = async (verb, _namespace, body) => {
      if (verb === 'update' && (body['spec'] as Record<string, unknown>)['holderIdentity'] === 'a') {
        reachedWrite();
        await released;
      }
    };
    try {
      clock.advance(29_000);
      const heartbeat = operator.coordinator.heartbeat(late);
      await atWrite;
      clock.advance(2_000);
      assert.deepEqual(await other.coordinator.campaign(query('b', 'late')), win('b', 2));
      release();
      assert.deepEqual(await heartbeat, lose('b', 2));
    } finally {
      api.beforeWrite = undefined;
    }
  });

  it("keeps another replica's cache fresh through the watch, so followers are defeated without a read", async () => {
    const clock = new FakeClock();
    const [writer, follower] = [await replica(clock), await replica(clock)];
    assert.deepEqual(await writer.coordinator.campaign(query('a', 'watched')), win('a', 1));
    const name = buildLeaseName('watched', 'prod');
    await waitUntil(() => follower.store.cached(name)?.holder === 'a', 'the follower to see the Lease');
    const reads = api.requests.filter((request) => request.endsWith(`/leases/${name}`)).length;
    assert.deepEqual(await follower.coordinator.campaign(query('b', 'watched')), lose('a', 1));
    assert.equal(api.requests.filter((request) => request.endsWith(`/leases/${name}`)).length, reads);
  });

  it('starts the expiry clock of a Lease version when the watch delivers it, not at the next request', async () => {
    const clock = new FakeClock();
    const [writer, follower] = [await replica(clock), await replica(clock)];
    assert.deepEqual(await writer.coordinator.campaign(query('a', 'observed')), win('a', 1));
    const name = buildLeaseName('observed', 'prod');
    await waitUntil(() => follower.store.cached(name)?.holder === 'a', 'the follower to see the Lease');
    clock.advance(30_000);
    assert.deepEqual(await follower.coordinator.campaign(query('b', 'observed')), win('b', 2));
  });

  it('re-watches after the API server ends a watch and still sees later writes', async () => {
    const clock = new FakeClock();
    const [writer, follower] = [await replica(clock), await replica(clock)];
    api.dropWatches();
    assert.deepEqual(await writer.coordinator.campaign(query('a', 'rewatch')), win('a', 1));
    const name = buildLeaseName('rewatch', 'prod');
    await waitUntil(
      () => follower.store.cached(name)?.holder === 'a',
      'the follower to see the Lease after re-watching',
    );
  });

  it('answers 503 cache_not_ready, to campaigns and to the status probe, until the cache has synced', async () => {
    const operator = await replica(new FakeClock(), { start: false });
    assert.deepEqual(await operator.coordinator.campaign(query('a', 'unsynced')), {
      status: 'error',
      code: 'cache_not_ready',
    });
    assert.deepEqual(await operator.coordinator.status(), { ready: false, code: 'cache_not_ready' });
    operator.watch.start();
    await synced(operator);
    assert.deepEqual(await operator.coordinator.status(), { ready: true });
  });

  const permissions = ['get', 'list', 'watch', 'create', 'update'] as const;
  for (const verb of permissions) {
    it(`reports rbac_forbidden from the status probe when ${verb} on leases is denied`, async () => {
      const operator = await replica(new FakeClock());
      api.denied.add(verb);
      try {
        assert.deepEqual(await operator.coordinator.status(), { ready: false, code: 'rbac_forbidden' });
      } finally {
        api.denied.delete(verb);
      }
    });
  }

  it('answers 503 rbac_forbidden, never a defeat, when a write is forbidden', async () => {
    const operator = await replica(new FakeClock());
    api.denied.add('create');
    try {
      assert.deepEqual(await operator.coordinator.campaign(query('a', 'forbidden')), {
        status: 'error',
        code: 'rbac_forbidden',
      });
      assert.equal(operator.metrics.count('storage-error:campaign'), 1);
    } finally {
      api.denied.delete('create');
    }
  });

  it('answers 503 storage_unavailable when the API server fails a write', async () => {
    const operator = await replica(new FakeClock());
    api.beforeWrite = () => {
      throw new FakeStatusError(500, 'etcdserver: request timed out');
    };
    try {
      assert.deepEqual(await operator.coordinator.campaign(query('a', 'broken')), {
        status: 'error',
        code: 'storage_unavailable',
      });
    } finally {
      api.beforeWrite = undefined;
    }
  });

  it('retries the watch with backoff while listing is forbidden and syncs once it is allowed', async () => {
    api.denied.add('list');
    const operator = buildKubeReplica(api, new FakeClock());
    replicas.push(operator);
    try {
      await waitUntil(() => operator.watchErrors.length >= 2, 'the watch to fail and retry');
      assert.equal(operator.store.isSynced(), false);
    } finally {
      api.denied.delete('list');
    }
    await synced(operator);
  });
});
