// failurePolicy Ignore and timeoutSeconds 5 (SPEC §12): with the operator frozen (it accepts connections
// but never answers) or stopped, pods are still created, without injection; injection resumes once it is
// back on the same port with the same certificate.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Pod } from '../../../src/podspec/types.ts';
import { ANNOTATION_INJECTED, DDTRACE_INIT_CONTAINER } from '../support/environment.ts';
import { scopeToRun } from '../support/operator-config.ts';
import { E2E_RUN_LABEL } from '../support/run-names.ts';
import { containerNames } from '../support/webhook-view.ts';
import { createWorkload, deployment, selectorOf, type Environment } from './shared.ts';

const RULES = { ddtrace: { enabled_namespaces: [{ namespace: 'down', language: 'java' }] } };
const WEBHOOK_TIMEOUT_SECONDS = 5;
/** Time for the API server's own work around the webhook call, on a loaded machine. */
const SLACK_SECONDS = 20;

function pod(name: string, run: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: run },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
  };
}

export function operatorDownJourney(env: Environment): void {
  describe('the operator stopped: pods are still created, and injection resumes when it is back', () => {
    let namespace = '';
    const run = (): Record<string, string> => ({ [E2E_RUN_LABEL]: env().names.run });
    const isInjected = (created: Pod): boolean =>
      containerNames(created).init.includes(DDTRACE_INIT_CONTAINER);

    before(async () => {
      const e = env();
      await e.operator.useConfig(
        scopeToRun(RULES, {
          namespacePrefix: e.names.namespacePrefix,
          selectorRequirement: e.names.runSelector,
        }),
      );
      namespace = await e.namespace('down');
    });

    it('injects while the operator runs', async () => {
      const created = (await env().createPod(namespace, pod('while-up', run()))).body;
      assert.ok(isInjected(created), JSON.stringify(containerNames(created)));
    });

    it('a frozen operator delays a pod by at most the timeout, and the pod is created unchanged', async (t) => {
      const started = performance.now();
      env().operator.process.freeze();
      const created = await env()
        .createPod(namespace, pod('while-frozen', run()))
        .then((reply) => reply.body)
        .finally(() => env().operator.process.thaw());
      const seconds = (performance.now() - started) / 1000;
      t.diagnostic(`created after ${seconds.toFixed(1)} s with the webhook not answering`);
      assert.equal(isInjected(created), false);
      assert.equal(created.metadata?.annotations?.[ANNOTATION_INJECTED], undefined);
      assert.ok(
        seconds >= WEBHOOK_TIMEOUT_SECONDS - 1,
        `the API server waited only ${seconds} s for the webhook`,
      );
      assert.ok(seconds < WEBHOOK_TIMEOUT_SECONDS + SLACK_SECONDS, `the API server waited ${seconds} s`);
    });

    it("a stopped operator: a bare pod and a Deployment's pod are created unchanged", async () => {
      assert.equal(await env().operator.process.stop(), 0, 'the operator exits 0 after SIGTERM');
      const created = (await env().createPod(namespace, pod('while-down', run()))).body;
      assert.equal(isInjected(created), false);
      const workload = deployment('while-down', {}, {}, run());
      await createWorkload(env(), namespace, workload);
      const [fromController] = await env().waitForPods(namespace, selectorOf(workload));
      assert.deepStrictEqual(containerNames(fromController!), { init: [], app: ['app'] });
    });

    it('injection resumes once the operator is back', async () => {
      if (!env().operator.process.running) await env().operator.start();
      await env().waitForWebhook();
      const created = (await env().createPod(namespace, pod('after-restart', run()))).body;
      assert.ok(isInjected(created), JSON.stringify(containerNames(created)));
    });
  });
}
