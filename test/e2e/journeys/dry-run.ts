// A server-side dry run (SPEC §3: dryRun requests are mutated the same way and have no side effects):
// the API server answers with the mutated pod and stores nothing.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Pod } from '../../../src/podspec/types.ts';
import { ANNOTATION_JAVA_LIB, DDTRACE_INIT_CONTAINER, podsPath } from '../support/environment.ts';
import { isAdmissionEntry } from '../support/operator-log.ts';
import { E2E_RUN_LABEL } from '../support/run-names.ts';
import { containerNames } from '../support/webhook-view.ts';
import { assertMatchesPrediction, findContainer, type Environment } from './shared.ts';

const POD_NAME = 'dry-run-java';

export function dryRunJourney(env: Environment): void {
  describe('a server-side dry-run create', () => {
    let namespace = '';

    before(async () => {
      await env().operator.useConfig({});
      namespace = await env().namespace('dryrun');
    });

    it('returns the mutated pod and stores nothing', async () => {
      const request: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: POD_NAME,
          labels: { [E2E_RUN_LABEL]: env().names.run },
          annotations: { [ANNOTATION_JAVA_LIB]: '' },
        },
        spec: { containers: [{ name: 'app', image: 'busybox' }] },
      };
      const prediction = await env().predict(request, namespace);
      const reply = await env().createPod(namespace, request, { dryRun: true });
      assert.deepStrictEqual(containerNames(reply.body), { init: [DDTRACE_INIT_CONTAINER], app: ['app'] });
      assert.ok(findContainer(reply.body, 'app').env?.some((item) => item.name === 'JAVA_TOOL_OPTIONS'));
      assertMatchesPrediction(reply.body, prediction, 'the dry-run answer');

      assert.equal(
        await env().client.find(`${podsPath(namespace)}/${POD_NAME}`),
        undefined,
        'the pod was stored',
      );
      assert.deepStrictEqual(await env().client.list(podsPath(namespace)), []);
      const logged = await env().operator.process.waitForEntry(
        (entry) => isAdmissionEntry(entry) && entry.namespace === namespace && entry.pod === POD_NAME,
        'the dry-run admission',
      );
      assert.equal(logged['dryRun'], true, 'the webhook saw dryRun: true');
      assert.equal(logged['result'], 'mutated');
    });
  });
}
