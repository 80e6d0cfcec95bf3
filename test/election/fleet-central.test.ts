// A DataKit fleet running the central election (SPEC §10.1) against one operator and against two: exactly
// one leader at every sampled moment, and a failover within lease + interval when the leader dies.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startCentralFleet, type CentralAgent, type Fleet } from './fleet.ts';
import { TOPOLOGIES, type RunningTopology } from './topologies.ts';
import { waitUntil } from './wait.ts';

// The shortest timing DataKit accepts is a 3 s interval (config validation refuses less); the lease leaves
// the leader a local safe lease (lease - interval) longer than one interval, so heartbeats keep it leading.
const LEASE_SECONDS = 7;
const INTERVAL_SECONDS = 3;
/** Scheduling and request latency on a busy 2-core machine. */
const SLACK_MS = 1_500;

for (const topology of TOPOLOGIES) {
  describe(`a DataKit fleet in the central election, ${topology.name}`, () => {
    let running: RunningTopology;
    before(async () => {
      running = await topology.start({
        lease_duration_seconds: LEASE_SECONDS,
        interval_seconds: INTERVAL_SECONDS,
      });
    });
    after(() => running.stop());

    it('has at most one leader at every moment, one after convergence, and fails over within lease + interval', async () => {
      const fleet = startCentralFleet(
        running.endpoints,
        ['dk-1', 'dk-2', 'dk-3', 'dk-4', 'dk-5'],
        { token: 'fleet-token', namespace: 'prod' },
        INTERVAL_SECONDS,
      );
      let mostLeaders = 0;
      const sampler = setInterval(() => {
        mostLeaders = Math.max(mostLeaders, leaders(fleet).length);
      }, 10);
      try {
        await waitUntil(
          () => leaders(fleet).length === 1,
          'one leader',
          (LEASE_SECONDS + INTERVAL_SECONDS) * 1000 + SLACK_MS,
        );
        await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_SECONDS * 1000));
        assert.equal(leaders(fleet).length, 1, 'the leader keeps its lease by heartbeats');
        const first = leaders(fleet)[0]!;

        await first.stop();
        const stoppedAt = performance.now();
        await waitUntil(
          () => leaders(fleet).length === 1,
          'a new leader',
          (LEASE_SECONDS + INTERVAL_SECONDS) * 1000 + SLACK_MS,
        );
        const failoverMs = performance.now() - stoppedAt;
        assert.notEqual(leaders(fleet)[0]!.id, first.id);
        assert.ok(
          failoverMs <= (LEASE_SECONDS + INTERVAL_SECONDS) * 1000 + SLACK_MS,
          `failover took ${failoverMs} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_SECONDS * 1000));
      } finally {
        clearInterval(sampler);
        await fleet.stop();
      }
      assert.equal(mostLeaders, 1, 'never two leaders at once');
    });
  });
}

function leaders(fleet: Fleet<CentralAgent>): CentralAgent[] {
  const now = performance.now();
  return fleet.live().filter((agent) => agent.isLeader(now));
}
