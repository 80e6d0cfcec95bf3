import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { FakeClock } from '../../test/election/fake-clock.ts';
import { RecordingMetrics } from '../../test/election/recording-metrics.ts';
import { lose, REFERENCE_LIFECYCLE, win } from '../../test/election/reference-lifecycle.ts';
import { CentralCoordinator, type ElectionQuery } from './central-coordinator.ts';
import type { ElectionOperation } from './central-decision.ts';
import {
  LeaseConflictError,
  LeaseStoreError,
  type ElectionLease,
  type LeaseStore,
  type LeaseWrite,
  type StoreReadiness,
} from './lease.ts';
import { buildLeaseName } from './lease-name.ts';
import { LeaseObservations } from './lease-observations.ts';
import { MemoryLeaseStore } from './store-memory.ts';

const TIMING = { leaseDurationSeconds: 30, intervalSeconds: 3 };

function buildCoordinator(
  store: LeaseStore,
  clock: FakeClock,
  metrics = new RecordingMetrics(),
  maxScopes = 1000,
): CentralCoordinator {
  return new CentralCoordinator({
    store,
    observations: new LeaseObservations(10 * 60_000),
    clock,
    timing: () => TIMING,
    maxScopes: () => maxScopes,
    metrics,
    logger: pino({ level: 'silent' }),
  });
}

const query = (id: string, token = 'secret', namespace = 'prod'): ElectionQuery => ({ token, namespace, id });

/** A store that delegates to another and lets a test change what one call does. */
class ScriptedStore implements LeaseStore {
  constructor(
    readonly inner: LeaseStore,
    readonly script: {
      get?: (name: string) => Promise<ElectionLease | undefined>;
      create?: (lease: LeaseWrite) => Promise<ElectionLease>;
      replace?: (lease: LeaseWrite, version: string) => Promise<ElectionLease>;
      cached?: (name: string) => ElectionLease | undefined;
      delete?: (name: string, version: string) => Promise<void>;
      synced?: boolean;
    } = {},
  ) {}
  get(name: string) {
    return this.script.get ? this.script.get(name) : this.inner.get(name);
  }
  create(lease: LeaseWrite) {
    return this.script.create ? this.script.create(lease) : this.inner.create(lease);
  }
  replace(lease: LeaseWrite, version: string) {
    return this.script.replace ? this.script.replace(lease, version) : this.inner.replace(lease, version);
  }
  cached(name: string) {
    return this.script.cached ? this.script.cached(name) : this.inner.cached(name);
  }
  cachedAll() {
    return this.inner.cachedAll();
  }
  cachedCount() {
    return this.inner.cachedCount();
  }
  delete(name: string, version: string) {
    return this.script.delete ? this.script.delete(name, version) : this.inner.delete(name, version);
  }
  isSynced() {
    return this.script.synced ?? true;
  }
  checkReady(): Promise<StoreReadiness> {
    return this.inner.checkReady();
  }
}

describe('CentralCoordinator: the SPEC §10.1 reference lifecycle (lease 30 s)', () => {
  const clock = new FakeClock();
  const coordinator = buildCoordinator(new MemoryLeaseStore(), clock);
  let elapsedSeconds = 0;
  for (const step of REFERENCE_LIFECYCLE) {
    it(`${step.why}`, async () => {
      clock.advance((step.atSeconds - elapsedSeconds) * 1000);
      elapsedSeconds = step.atSeconds;
      assert.deepEqual(await coordinator[step.operation](query(step.id)), step.expected);
    });
  }

  it('keeps other tokens and other namespaces apart from that scope', async () => {
    assert.deepEqual(await coordinator.campaign(query('c', 'other-token', 'prod')), win('c', 1));
    assert.deepEqual(await coordinator.campaign(query('c', 'secret', 'other-namespace')), win('c', 1));
    assert.deepEqual(await coordinator.campaign(query('d', 'secret', 'prod')), lose('b', 2));
  });
});

describe('CentralCoordinator', () => {
  it('counts epochs across every take-over', async () => {
    const clock = new FakeClock();
    const coordinator = buildCoordinator(new MemoryLeaseStore(), clock);
    const epochs: number[] = [];
    for (const id of ['a', 'b', 'a', 'c']) {
      const answer = await coordinator.campaign(query(id));
      assert.equal(answer.status, 'success');
      if (answer.status === 'success') epochs.push(answer.epoch);
      clock.advance(30_000);
    }
    assert.deepEqual(epochs, [1, 2, 3, 4]);
  });

  it('records transitions by reason', async () => {
    const clock = new FakeClock();
    const metrics = new RecordingMetrics();
    const coordinator = buildCoordinator(new MemoryLeaseStore(), clock, metrics);
    await coordinator.campaign(query('a'));
    clock.advance(30_000);
    await coordinator.campaign(query('b'));
    await coordinator.heartbeat(query('b'));
    assert.deepEqual(
      metrics.calls.filter((call) => call.startsWith('transition')),
      ['transition:first_acquire', 'transition:lease_expired'],
    );
  });

  it('gives exactly one winner to 64 concurrent campaigns spread over 2 replicas sharing one store', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const replicas = [buildCoordinator(store, clock), buildCoordinator(store, clock)];
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, index) => replicas[index % 2]!.campaign(query(`dk-${index}`))),
    );
    const winners = answers.filter((answer) => answer.status === 'success');
    assert.equal(winners.length, 1);
    const winner = winners[0]!;
    assert.equal(winner.status, 'success');
    for (const answer of answers) {
      if (answer === winner) continue;
      assert.equal(answer.status, 'defeat');
      if (answer.status === 'defeat' && winner.status === 'success')
        assert.equal(answer.incumbencyId, winner.incumbencyId);
    }
  });

  it('never lets a late heartbeat overwrite a new holder', async () => {
    const clock = new FakeClock();
    const memory = new MemoryLeaseStore();
    let releaseHeartbeat!: () => void;
    const heartbeatReleased = new Promise<void>((resolve) => (releaseHeartbeat = resolve));
    let heartbeatWriting!: () => void;
    const heartbeatAtWrite = new Promise<void>((resolve) => (heartbeatWriting = resolve));
    const store = new ScriptedStore(memory, {
      replace: async (lease, version) => {
        if (lease.holder === 'a') {
          heartbeatWriting();
          await heartbeatReleased;
        }
        return memory.replace(lease, version);
      },
    });
    // Two replicas on one store (one replica takes a scope's requests one at a time): the second has seen
    // the Lease since it was written, as its watch would have shown it.
    const coordinator = buildCoordinator(store, clock);
    const otherReplica = buildCoordinator(store, clock);
    assert.deepEqual(await coordinator.campaign(query('a')), win('a', 1));
    otherReplica.observe(memory.cached(buildLeaseName('secret', 'prod'))!);

    clock.advance(29_000);
    const late = coordinator.heartbeat(query('a'));
    await heartbeatAtWrite;
    clock.advance(2_000);
    assert.deepEqual(await otherReplica.campaign(query('b')), win('b', 2));
    releaseHeartbeat();
    assert.deepEqual(await late, lose('b', 2));
    assert.deepEqual(await coordinator.heartbeat(query('b')), win('b', 2));
  });

  const exhausted: readonly [string, ElectionOperation, (memory: MemoryLeaseStore) => ScriptedStore][] = [
    [
      'a campaign whose create always conflicts',
      'campaign',
      (memory) =>
        new ScriptedStore(memory, {
          create: async (lease) => {
            throw new LeaseConflictError(`${lease.name} already exists`);
          },
        }),
    ],
    [
      'a heartbeat whose replace always conflicts',
      'heartbeat',
      (memory) =>
        new ScriptedStore(memory, {
          replace: async (lease) => {
            throw new LeaseConflictError(`${lease.name} changed`);
          },
        }),
    ],
  ];
  for (const [what, operation, build] of exhausted) {
    it(`answers 503 storage_unavailable to ${what} after the first write and ${5} retries`, async () => {
      const clock = new FakeClock();
      const memory = new MemoryLeaseStore();
      const setup = buildCoordinator(memory, clock);
      if (operation === 'heartbeat') await setup.campaign(query('a'));
      const metrics = new RecordingMetrics();
      const coordinator = buildCoordinator(build(memory), clock, metrics);
      assert.deepEqual(await coordinator[operation](query('a')), {
        status: 'error',
        code: 'storage_unavailable',
      });
      assert.equal(metrics.count(`cas-conflict:${operation}`), 6);
      assert.equal(metrics.count(`storage-error:${operation}`), 1);
    });
  }

  it('succeeds when a conflict is followed by a clean write', async () => {
    const clock = new FakeClock();
    const memory = new MemoryLeaseStore();
    let conflicts = 2;
    const metrics = new RecordingMetrics();
    const store = new ScriptedStore(memory, {
      create: async (lease) => {
        if (conflicts-- > 0) throw new LeaseConflictError(`${lease.name} already exists`);
        return memory.create(lease);
      },
    });
    assert.deepEqual(await buildCoordinator(store, clock, metrics).campaign(query('a')), win('a', 1));
    assert.equal(metrics.count('cas-conflict:campaign'), 2);
  });

  const failures: readonly [string, Partial<ConstructorParameters<typeof ScriptedStore>[1]>, string][] = [
    ['the cache has not synced', { synced: false }, 'cache_not_ready'],
    [
      'the store forbids reading',
      {
        get: async () => {
          throw new LeaseStoreError('rbac_forbidden', 'forbidden');
        },
      },
      'rbac_forbidden',
    ],
    [
      'the store is unreachable',
      {
        get: async () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
      'storage_unavailable',
    ],
    [
      'the create fails for another reason than a conflict',
      {
        create: async () => {
          throw new LeaseStoreError('storage_unavailable', 'etcd timeout');
        },
      },
      'storage_unavailable',
    ],
  ];
  for (const [what, script, code] of failures) {
    it(`answers an error (never a defeat) when ${what}`, async () => {
      const store = new ScriptedStore(new MemoryLeaseStore(), script);
      assert.deepEqual(await buildCoordinator(store, new FakeClock()).campaign(query('a')), {
        status: 'error',
        code,
      });
    });
  }

  it('may answer defeat from the cache without reading the store', async () => {
    const clock = new FakeClock();
    const memory = new MemoryLeaseStore();
    await buildCoordinator(memory, clock).campaign(query('a'));
    let reads = 0;
    const store = new ScriptedStore(memory, {
      get: (name) => {
        reads++;
        return memory.get(name);
      },
    });
    const coordinator = buildCoordinator(store, clock);
    assert.deepEqual(await coordinator.campaign(query('b')), lose('a', 1));
    assert.deepEqual(await coordinator.heartbeat(query('b')), lose('a', 1));
    assert.equal(reads, 0);
  });

  it('never answers success from the cache: a cached holder whose Lease expired in the store is defeated', async () => {
    const clock = new FakeClock();
    const memory = new MemoryLeaseStore();
    const writer = buildCoordinator(memory, clock);
    await writer.campaign(query('a'));
    const staleCopy = memory.cached(buildLeaseName('secret', 'prod'));
    clock.advance(31_000);
    await writer.campaign(query('b'));
    const store = new ScriptedStore(memory, { cached: () => staleCopy });
    assert.deepEqual(await buildCoordinator(store, clock).heartbeat(query('a')), lose('b', 2));
  });

  it('judges expiry on the monotonic clock: a wall-clock jump changes nothing', async () => {
    const clock = new FakeClock();
    const coordinator = buildCoordinator(new MemoryLeaseStore(), clock);
    await coordinator.campaign(query('a'));
    clock.jumpWallClock(3_600_000);
    assert.deepEqual(await coordinator.campaign(query('b')), lose('a', 1));
    clock.advance(29_000);
    assert.deepEqual(await coordinator.campaign(query('b')), lose('a', 1));
    clock.advance(1_000);
    assert.deepEqual(await coordinator.campaign(query('b')), win('b', 2));
  });

  it('gives a Lease first seen after a restart a full period, whatever its renewTime says', async () => {
    const clock = new FakeClock();
    const memory = new MemoryLeaseStore();
    await buildCoordinator(memory, clock).campaign(query('a'));
    clock.advance(25_000);
    const restarted = buildCoordinator(memory, clock);
    assert.deepEqual(await restarted.campaign(query('b')), lose('a', 1));
    clock.advance(29_000);
    assert.deepEqual(await restarted.campaign(query('b')), lose('a', 1));
    clock.advance(1_000);
    assert.deepEqual(await restarted.campaign(query('b')), win('b', 2));
  });

  it('answers a heartbeat for a scope without a Lease with a defeat at epoch 0', async () => {
    assert.deepEqual(await buildCoordinator(new MemoryLeaseStore(), new FakeClock()).heartbeat(query('a')), {
      status: 'defeat',
      incumbencyId: '',
      epoch: 0,
      leaseDurationSeconds: undefined,
    });
  });

  it('takes a scope’s requests one at a time: a race of many campaigns costs one store round', async () => {
    const clock = new FakeClock();
    const memory = new MemoryLeaseStore();
    let reads = 0;
    const store = new ScriptedStore(memory, {
      get: (name) => {
        reads += 1;
        return memory.get(name);
      },
    });
    const coordinator = buildCoordinator(store, clock);
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, index) => coordinator.campaign(query(`racer-${index}`))),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status).filter((status) => status === 'success'),
      ['success'],
    );
    assert.equal(reads, 1, 'the other 63 were answered from what the first one wrote');
  });

  it('counts active scopes at each collection pass, not per scrape', async () => {
    const clock = new FakeClock();
    const coordinator = buildCoordinator(new MemoryLeaseStore(), clock);
    await coordinator.campaign(query('a', 't1'));
    clock.advance(20_000);
    await coordinator.campaign(query('a', 't2'));
    assert.equal(coordinator.activeScopes(), 0, 'no pass yet');
    assert.deepEqual(await coordinator.collectExpired(), { active: 2, collected: 0 });
    assert.equal(coordinator.activeScopes(), 2);
    clock.advance(10_000);
    await coordinator.collectExpired();
    assert.equal(coordinator.activeScopes(), 1);
  });
});

describe('CentralCoordinator: bounded scopes (SPEC §10.1)', () => {
  it('refuses a campaign for one scope more than max_scopes with 503 scope_limit, and counts it', async () => {
    const metrics = new RecordingMetrics();
    const coordinator = buildCoordinator(new MemoryLeaseStore(), new FakeClock(), metrics, 2);
    assert.equal((await coordinator.campaign(query('a', 't1'))).status, 'success');
    assert.equal((await coordinator.campaign(query('a', 't2'))).status, 'success');
    assert.deepEqual(await coordinator.campaign(query('a', 't3')), { status: 'error', code: 'scope_limit' });
    assert.equal(metrics.count('scope-limit'), 1);
    assert.equal(
      (await coordinator.campaign(query('b', 't1'))).status,
      'defeat',
      'known scopes still answer',
    );
    assert.equal((await coordinator.heartbeat(query('a', 't1'))).status, 'success');
  });

  it('never overshoots max_scopes with concurrent campaigns for new scopes', async () => {
    const store = new MemoryLeaseStore();
    const coordinator = buildCoordinator(store, new FakeClock(), new RecordingMetrics(), 5);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) => coordinator.campaign(query('a', `t${index}`))),
    );
    assert.equal(answers.filter((answer) => answer.status === 'success').length, 5);
    assert.equal(store.cachedCount(), 5);
  });

  it('forgets a scope once its Lease has been expired for 10 lease durations, then accepts new ones', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const metrics = new RecordingMetrics();
    const coordinator = buildCoordinator(store, clock, metrics, 1);
    await coordinator.campaign(query('a', 't1'));
    clock.advance(30_000 + 300_000);
    assert.deepEqual(await coordinator.collectExpired(), { active: 0, collected: 0 }, 'exactly 10 leases');
    clock.advance(1);
    assert.deepEqual(await coordinator.collectExpired(), { active: 0, collected: 1 });
    assert.equal(store.cachedCount(), 0);
    assert.equal(metrics.count('scopes-collected:1'), 1);
    assert.equal((await coordinator.campaign(query('a', 't2'))).status, 'success');
  });

  it('keeps a scope whose Lease was renewed after the pass judged it expired (the delete precondition)', async () => {
    const clock = new FakeClock();
    const inner = new MemoryLeaseStore();
    const metrics = new RecordingMetrics();
    const hooks: { renewFirst?: () => Promise<unknown> } = {};
    const store = new ScriptedStore(inner, {
      delete: async (name, version) => {
        await hooks.renewFirst?.();
        return inner.delete(name, version);
      },
    });
    const coordinator = buildCoordinator(store, clock, metrics);
    await coordinator.campaign(query('a'));
    clock.advance(331_000);
    hooks.renewFirst = () => coordinator.campaign(query('b'));
    assert.deepEqual(await coordinator.collectExpired(), { active: 0, collected: 0 });
    assert.equal(metrics.count('cas-conflict:collect'), 1);
    assert.equal(inner.cached(buildLeaseName('secret', 'prod'))?.holder, 'b');
  });
});
