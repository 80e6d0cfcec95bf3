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
): CentralCoordinator {
  return new CentralCoordinator({
    store,
    observations: new LeaseObservations(10 * 60_000),
    clock,
    timing: () => TIMING,
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
    const coordinator = buildCoordinator(store, clock);
    assert.deepEqual(await coordinator.campaign(query('a')), win('a', 1));

    clock.advance(29_000);
    const late = coordinator.heartbeat(query('a'));
    await heartbeatAtWrite;
    clock.advance(2_000);
    assert.deepEqual(await coordinator.campaign(query('b')), win('b', 2));
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

  it('counts active scopes from the cache', async () => {
    const clock = new FakeClock();
    const coordinator = buildCoordinator(new MemoryLeaseStore(), clock);
    await coordinator.campaign(query('a', 't1'));
    clock.advance(20_000);
    await coordinator.campaign(query('a', 't2'));
    assert.equal(coordinator.activeScopes(), 2);
    clock.advance(10_000);
    assert.equal(coordinator.activeScopes(), 1);
  });
});
