// Opting out (SPEC §4.1, §12): a pod annotated admission.datakit/enabled=false reaches the webhook and is
// left alone; a namespace labelled admission.datakit/enabled=false never reaches it at all, which the
// operator's admission log proves (not only the pod's content: the webhook leaves such pods alone too).

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Pod } from '../../../src/podspec/types.ts';
import { ANNOTATION_INJECTED, DDTRACE_INIT_CONTAINER } from '../support/environment.ts';
import { admissionsIn, isAdmissionEntry } from '../support/operator-log.ts';
import { scopeToRun } from '../support/operator-config.ts';
import { E2E_RUN_LABEL } from '../support/run-names.ts';
import { containerNames } from '../support/webhook-view.ts';
import { createWorkload, deployment, podFromTemplate, selectorOf, type Environment } from './shared.ts';

const RULES = { ddtrace: { enabled_namespaces: [{ namespace: 'optout-.*', language: 'java' }] } };
const POD_OPT_OUT = { 'admission.datakit/enabled': 'false' };

export function optOutJourney(env: Environment): void {
  describe('opting out by pod annotation and by namespace label', () => {
    let targeted = '';
    let labelled = '';
    const run = (): Record<string, string> => ({ [E2E_RUN_LABEL]: env().names.run });

    before(async () => {
      const e = env();
      await e.operator.useConfig(
        scopeToRun(RULES, {
          namespacePrefix: e.names.namespacePrefix,
          selectorRequirement: e.names.runSelector,
        }),
      );
      targeted = await e.namespace('optout-pod');
      labelled = await e.namespace('optout-ns', { webhookOff: true });
    });

    it('a pod annotated admission.datakit/enabled: "false" reaches the webhook and is admitted unchanged', async () => {
      const optedOut = deployment('opted-out', {}, POD_OPT_OUT, run());
      const control = deployment('control', {}, {}, run());
      await createWorkload(env(), targeted, optedOut);
      await createWorkload(env(), targeted, control);
      const [controlPod] = await env().waitForPods(targeted, selectorOf(control));
      assert.deepStrictEqual(
        containerNames(controlPod!).init,
        [DDTRACE_INIT_CONTAINER],
        'the namespace is targeted',
      );

      const [pod] = await env().waitForPods(targeted, selectorOf(optedOut));
      assert.deepStrictEqual(containerNames(pod!), { init: [], app: ['app'] });
      assert.equal(pod!.metadata?.annotations?.[ANNOTATION_INJECTED], undefined);
      const asked = await env().operator.process.waitForEntry(
        (entry) =>
          isAdmissionEntry(entry) && entry.namespace === targeted && entry.pod.startsWith('opted-out-'),
        'the admission of the opted-out pod',
      );
      assert.equal(asked['result'], 'unchanged');
    });

    it('a namespace labelled admission.datakit/enabled=false never reaches the webhook', async () => {
      const skipped = deployment('skipped', {}, {}, run());
      await createWorkload(env(), labelled, skipped);
      const [pod] = await env().waitForPods(labelled, selectorOf(skipped));
      assert.deepStrictEqual(containerNames(pod!), { init: [], app: ['app'] });
      // Asked, the webhook WOULD have instrumented it: the namespace matches the java rule.
      const prediction = await env().predict(podFromTemplate(skipped, pod!), labelled);
      assert.equal(prediction.result, 'mutated', 'the rule targets the labelled namespace too');

      // A pod created afterwards in a targeted namespace is logged; by then any request about the
      // labelled namespace's pod (which was created earlier) would have been logged as well.
      const marker: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'after-marker', labels: run() },
        spec: { containers: [{ name: 'app', image: 'busybox' }] },
      };
      await env().createPod(targeted, marker);
      await env().operator.process.waitForEntry(
        (entry) => isAdmissionEntry(entry) && entry.namespace === targeted && entry.pod === 'after-marker',
        'the admission of the marker pod',
      );
      assert.deepStrictEqual(admissionsIn(env().operator.process.entries, labelled), []);
    });
  });
}
