// Fail-open on a real node: with the operator scaled to 0 the webhook's Service has no endpoint, the API
// server's call fails (failurePolicy Ignore, timeoutSeconds 5) and a new pod is still created — without
// injection — and runs. Scaled back, the operator injects again.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { waitForReadyPods } from '../support/pods.ts';
import { DDTRACE_INIT_CONTAINER, waitForWebhook } from '../support/webhook.ts';
import { DATAKIT_NAMESPACE, OPERATOR_REPLICAS, OPERATOR_SELECTOR, type Env } from './shared.ts';

const POD = 'fail-open-probe';
const PROBE_SELECTOR = `probe=${POD}`;
/** The webhook's timeoutSeconds plus room for a busy machine; never waited for, only bounded. */
const CREATE_BOUND_MS = 5_000 + 10_000;
const OPERATOR_GONE_TIMEOUT_MS = 120_000;

function probePod(): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: POD,
      namespace: 'default',
      labels: { probe: POD },
      annotations: { 'admission.datakit/java-lib.version': '' },
    },
    spec: { containers: [{ name: 'app', image: 'docker.io/library/nginx:1.22' }] },
  };
}

export function failOpenJourney(env: Env): void {
  describe('fail-open: the operator scaled to 0', () => {
    it('lets a new pod be created, uninjected, within the webhook timeout; scaled back, injects again', async () => {
      const { kubectl, dir } = env();
      await kubectl.ok('scale', 'deployment', 'datakit-operator', '-n', DATAKIT_NAMESPACE, '--replicas=0');
      await kubectl.ok(
        'wait',
        '--for=delete',
        'pod',
        '-n',
        DATAKIT_NAMESPACE,
        '-l',
        OPERATOR_SELECTOR,
        `--timeout=${OPERATOR_GONE_TIMEOUT_MS / 1000}s`,
      );
      const file = join(dir, `${POD}.json`);
      await writeFile(file, JSON.stringify(probePod()));
      const began = performance.now();
      await kubectl.ok('create', '-f', file);
      const elapsed = performance.now() - began;
      assert.ok(elapsed < CREATE_BOUND_MS, `created after ${elapsed.toFixed(0)} ms`);
      await waitForReadyPods(kubectl, 'default', PROBE_SELECTOR, 1);
      const names = await kubectl.ok('get', 'pod', POD, '-o=jsonpath={.spec.initContainers[*].name}');
      assert.equal(names, '', 'not injected');
      await kubectl.ok('delete', 'pod', POD, '--wait=true', '--timeout=120s');

      await kubectl.ok(
        'scale',
        'deployment',
        'datakit-operator',
        '-n',
        DATAKIT_NAMESPACE,
        `--replicas=${OPERATOR_REPLICAS}`,
      );
      await waitForReadyPods(kubectl, DATAKIT_NAMESPACE, OPERATOR_SELECTOR, OPERATOR_REPLICAS);
      await waitForWebhook(kubectl);
      const probe = await kubectl.json<{ spec: { initContainers?: { name: string }[] } }>(
        'create',
        '-f',
        file,
        '--dry-run=server',
      );
      assert.deepEqual(
        probe.spec.initContainers?.map((c) => c.name),
        [DDTRACE_INIT_CONTAINER],
      );
    });
  });
}
