// A Job with the logfwd sidecar in `auto` mode on a real kubelet: the sidecar is a native sidecar, the
// Job completes (a plain sidecar container would keep its pod running forever), and the lines its app
// wrote reach the fake DataKit before the pod ends.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollUntil } from '../../e2e/support/wait.ts';
import type { LogBatch } from '../support/fake-datakit.ts';
import { listPods } from '../support/pods.ts';
import { waitForWebhook } from '../support/webhook.ts';
import type { Env } from './shared.ts';

const MANIFEST = 'test/node/manifests/logfwd-job.yaml';
const JOB = 'logfwd-job';
const SIDECAR = 'datakit-logfwd';
const COMPLETE_TIMEOUT_MS = 180_000;

export function nativeSidecarJobJourney(env: Env): void {
  describe('a Job with logfwd in auto sidecar mode', () => {
    it('runs logfwd as a native sidecar, completes, and forwards the Job’s lines', async () => {
      const { kubectl, datakit } = env();
      await waitForWebhook(kubectl);
      await kubectl.ok('apply', '-f', MANIFEST);
      await pollUntil(
        async () => {
          const status = await kubectl.ok('get', 'job', JOB, '-o=jsonpath={.status.succeeded}');
          return status === '1' ? true : undefined;
        },
        { timeoutMs: COMPLETE_TIMEOUT_MS, intervalMs: 1000, what: `Job ${JOB} to succeed` },
      );
      const [pod] = await listPods(kubectl, 'default', `job-name=${JOB}`);
      assert.ok(pod, 'the Job’s pod');
      const sidecar = pod.spec.initContainers?.find((container) => container.name === SIDECAR);
      assert.equal(sidecar?.restartPolicy, 'Always', JSON.stringify(pod.spec.initContainers));
      assert.equal(pod.status.phase, 'Succeeded');
      const fromJob = (batch: LogBatch): boolean => batch.pod_name === pod.metadata.name;
      const lines = datakit.logs.filter(fromJob).flatMap((batch) => batch.lines);
      assert.deepEqual(lines, ['job line 1', 'job line 2', 'job line 3']);
    });
  });
}
