// A second node on the same machine is refused with a message that says why, and the first one is
// left running (one kubelet per machine: port 10250, kubepods cgroups, iptables chains).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT_NODE_RUNNING, supervisorArgs } from '../support/node-process.ts';
import type { Env } from './shared.ts';

export function oneNodePerMachineJourney(env: Env): void {
  describe('one node per machine', () => {
    it('refuses to start a second node and says so', async () => {
      const e = env();
      const dir = mkdtempSync(join(tmpdir(), 'datakit-second-node-'));
      try {
        const second = spawnSync(e.binaries.supervisor, supervisorArgs(e.binaries, dir), {
          encoding: 'utf8',
          timeout: 60_000,
        });
        assert.equal(second.status, EXIT_NODE_RUNNING, second.stderr);
        assert.match(second.stderr, /another real node already runs on this machine.*one node per machine/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const nodes = await e.kubectl.ok('get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}');
      assert.equal(nodes, e.node.ready.nodeName, 'the first node still serves');
    });
  });
}
