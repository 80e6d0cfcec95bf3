// Fail-open on a real node: with the operator scaled to 0, or crash-looping on a ConfigMap it refuses,
// the webhook's Service has no endpoint, the API server's call fails (failurePolicy Ignore,
// timeoutSeconds 5) and a new pod is still created — without injection — and runs. Restored, the
// operator injects again.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pollUntil } from '../../e2e/support/wait.ts';
import { waitForReadyPods } from '../support/pods.ts';
import { DDTRACE_INIT_CONTAINER, waitForWebhook } from '../support/webhook.ts';
import { DATAKIT_NAMESPACE, OPERATOR_REPLICAS, OPERATOR_SELECTOR, type Env } from './shared.ts';

const POD = 'fail-open-probe';
const PROBE_SELECTOR = `probe=${POD}`;
/** The webhook's timeoutSeconds plus room for a busy machine; never waited for, only bounded. */
const CREATE_BOUND_MS = 5_000 + 10_000;
const OPERATOR_GONE_TIMEOUT_MS = 120_000;
const CONFIG_MAP = 'datakit-operator-config';
const CONFIG_KEY = 'jsonconfig';
/** A config the operator refuses at start (exit 1): every new replica crash-loops. */
const REFUSED_CONFIG = JSON.stringify({ log_level: 'loud' });
const CRASH_LOOP_TIMEOUT_MS = 120_000;

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

type Kubectl = ReturnType<Env>['kubectl'];

/** Creates the probe pod with no operator to answer: within the bound, uninjected, running; then deletes it. */
async function assertCreatedUninjected(kubectl: Kubectl, file: string): Promise<void> {
  const began = performance.now();
  await kubectl.ok('create', '-f', file);
  const elapsed = performance.now() - began;
  assert.ok(elapsed < CREATE_BOUND_MS, `created after ${elapsed.toFixed(0)} ms`);
  await waitForReadyPods(kubectl, 'default', PROBE_SELECTOR, 1);
  const names = await kubectl.ok('get', 'pod', POD, '-o=jsonpath={.spec.initContainers[*].name}');
  assert.equal(names, '', 'not injected');
  await kubectl.ok('delete', 'pod', POD, '--wait=true', '--timeout=120s');
}

async function assertInjectsAgain(kubectl: Kubectl, file: string): Promise<void> {
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
}

async function scaleOperator(kubectl: Kubectl, replicas: number): Promise<void> {
  await kubectl.ok(
    'scale',
    'deployment',
    'datakit-operator',
    '-n',
    DATAKIT_NAMESPACE,
    `--replicas=${replicas}`,
  );
  if (replicas > 0) return;
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
}

async function setOperatorConfig(kubectl: Kubectl, text: string): Promise<void> {
  await kubectl.ok(
    'patch',
    'configmap',
    CONFIG_MAP,
    '-n',
    DATAKIT_NAMESPACE,
    '--type=merge',
    '-p',
    JSON.stringify({ data: { [CONFIG_KEY]: text } }),
  );
}

export function failOpenJourney(env: Env): void {
  describe('fail-open: the operator scaled to 0, or crash-looping', () => {
    it('lets a new pod be created, uninjected, within the webhook timeout; scaled back, injects again', async () => {
      const { kubectl, dir } = env();
      await scaleOperator(kubectl, 0);
      const file = join(dir, `${POD}.json`);
      await writeFile(file, JSON.stringify(probePod()));
      await assertCreatedUninjected(kubectl, file);
      await scaleOperator(kubectl, OPERATOR_REPLICAS);
      await assertInjectsAgain(kubectl, file);
    });

    it('does the same while every replica crash-loops on a ConfigMap it refuses', async () => {
      const { kubectl, dir } = env();
      const saved = await kubectl.ok(
        'get',
        'configmap',
        CONFIG_MAP,
        '-n',
        DATAKIT_NAMESPACE,
        `-o=jsonpath={.data.${CONFIG_KEY}}`,
      );
      const file = join(dir, `${POD}.json`);
      await writeFile(file, JSON.stringify(probePod()));
      await scaleOperator(kubectl, 0);
      await setOperatorConfig(kubectl, REFUSED_CONFIG);
      try {
        await scaleOperator(kubectl, OPERATOR_REPLICAS);
        // Each replica has exited on the refused config at least once (the kubelet restarts it, with back-off).
        await pollUntil(
          async () => {
            const counts = await kubectl.ok(
              'get',
              'pod',
              '-n',
              DATAKIT_NAMESPACE,
              '-l',
              OPERATOR_SELECTOR,
              '-o=jsonpath={.items[*].status.containerStatuses[*].restartCount}',
            );
            const restarts = counts
              .split(' ')
              .filter((count) => count !== '')
              .map(Number);
            return restarts.length === OPERATOR_REPLICAS && restarts.every((count) => count >= 1)
              ? true
              : undefined;
          },
          {
            timeoutMs: CRASH_LOOP_TIMEOUT_MS,
            intervalMs: 1000,
            what: 'every operator replica to crash-loop',
          },
        );
        await assertCreatedUninjected(kubectl, file);
      } finally {
        await setOperatorConfig(kubectl, saved);
        // New pods read the restored ConfigMap at once instead of waiting out the crash back-off.
        await kubectl.ok('delete', 'pod', '-n', DATAKIT_NAMESPACE, '-l', OPERATOR_SELECTOR, '--wait=false');
      }
      await assertInjectsAgain(kubectl, file);
    });
  });
}
