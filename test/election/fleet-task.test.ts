// A DataKit 1.x fleet running the task election (SPEC §10.2) against one operator and against two: every
// input runs on exactly one agent once converged, and a stopped agent's inputs move within
// 10 s + 3 polls (plus, with two operators, one membership publication).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TASK_LIVENESS_MS } from '../../src/election/constants.ts';
import { PUBLISH_INTERVAL_MS } from '../../src/election/membership-kubernetes.ts';
import { startTaskFleet, taskCoverage } from './fleet.ts';
import { TOPOLOGIES, type RunningTopology } from './topologies.ts';
import { waitUntil } from './wait.ts';

const INPUTS = { kubernetes: 3, mysql: 2, kafka: 2, redis: 1, nginx: 1, etcd: 1 };
const POLL_MS = 1_000;
const SLACK_MS = 1_500;

for (const [index, topology] of TOPOLOGIES.entries()) {
  describe(`a DataKit 1.x fleet in the task election, ${topology.name}`, () => {
    let running: RunningTopology;
    before(async () => {
      running = await topology.start({});
    });
    after(() => running.stop());

    it('runs every input on exactly one agent and moves a stopped agent’s inputs within 10 s + 3 polls', async () => {
      const fleet = startTaskFleet(running.endpoints, ['dk-1', 'dk-2', 'dk-3'], INPUTS, POLL_MS);
      const converged = () => {
        const coverage = taskCoverage(fleet, INPUTS);
        return coverage.doubled.length === 0 && coverage.orphaned.length === 0;
      };
      try {
        await waitUntil(converged, 'every input on exactly one agent', 10 * POLL_MS + SLACK_MS);
        for (let sample = 0; sample < 3; sample++) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          assert.deepEqual(
            taskCoverage(fleet, INPUTS),
            { doubled: [], orphaned: [] },
            'the assignment is stable',
          );
        }
        // Inputs stay where they run (SPEC §10.2): an agent whose first poll came late may rightly be idle.
        const victim = fleet.agents.find((agent) => agent.running.length > 0)!;
        const moved = [...victim.running];
        await victim.stop();
        const stoppedAt = performance.now();
        const publication = index === 0 ? 0 : PUBLISH_INTERVAL_MS;
        const boundMs = TASK_LIVENESS_MS + 3 * POLL_MS + POLL_MS + publication + SLACK_MS;
        await waitUntil(converged, `the inputs ${moved.join(', ')} to move`, boundMs);
        const tookMs = performance.now() - stoppedAt;
        assert.ok(tookMs <= boundMs, `moving took ${tookMs} ms`);
        assert.ok(tookMs >= TASK_LIVENESS_MS - POLL_MS, 'nothing moves before the agent counts as gone');
      } finally {
        await fleet.stop();
      }
    });
  });
}
