// The manual's logfwd example (examples/logging-logfwd.yaml, applied as written): the pod runs
// `log-container datakit-logfwd`, and the lines the app writes into its log directory reach the DataKit
// of the annotation (datakit-service.datakit.svc:9533) through the sidecar, which reads them from the
// shared volume. `image: busybox` means :latest and so imagePullPolicy Always: the node pulls it from its
// local registry (test/kube-node/supervisor/registry.go), never from the Internet.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollUntil } from '../../e2e/support/wait.ts';
import type { LogBatch } from '../support/fake-datakit.ts';
import { waitForReadyPods } from '../support/pods.ts';
import { waitForWebhook } from '../support/webhook.ts';
import type { Env } from './shared.ts';

const EXAMPLE = 'examples/logging-logfwd.yaml';
const SELECTOR = 'app=logging';
/** From the example's annotation and its app's printf. */
const SOURCE = 'deployment-logging';
const TAGS = { key01: 'value01' };
const LINE = /\[\d+\s*\] Bash For Loop Examples\.$/;
const LOGS_TIMEOUT_MS = 60_000;

export function loggingLogfwdJourney(env: Env): void {
  describe('the manual’s logging Deployment with admission.datakit/logfwd.instances', () => {
    it('runs log-container and datakit-logfwd, whose lines reach the fake DataKit', async () => {
      const { kubectl, datakit } = env();
      await waitForWebhook(kubectl);
      await kubectl.ok('apply', '-f', EXAMPLE);
      const [pod] = await waitForReadyPods(kubectl, 'default', SELECTOR, 1);
      const name = pod!.metadata.name;
      const containers = await kubectl.ok('get', 'pod', name, '-o=jsonpath={.spec.containers[*].name}');
      assert.equal(containers, 'log-container datakit-logfwd');

      const fromPod = (batch: LogBatch): boolean => batch.pod_name === name && batch.lines.length > 0;
      const batch = await pollUntil(async () => datakit.logs.find(fromPod), {
        timeoutMs: LOGS_TIMEOUT_MS,
        intervalMs: 1000,
        what: `log lines from ${name} at the fake DataKit (problems: ${datakit.problems.join('; ')})`,
      });
      assert.equal(batch.source, SOURCE);
      assert.deepEqual(batch.tags, TAGS);
      assert.equal(batch.pod_namespace, 'default');
      assert.match(batch.file, /^\/var\/log\/log-test\/1\.log$/);
      for (const line of batch.lines) assert.match(line, LINE);
    });
  });
}
