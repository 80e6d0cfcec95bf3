// The manual's profiler examples (examples/movies-{java,python}-profiler.yaml, applied as written, with
// stand-in app and profiler images): the datakit-profiler sidecar runs beside the app and, through the
// pod's shared process namespace, sees the app's process — what the real profiler must find to attach.
// movies-python says imagePullPolicy Always: the node pulls from its local registry.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollUntil } from '../../e2e/support/wait.ts';
import { waitForReadyPods } from '../support/pods.ts';
import { waitForWebhook } from '../support/webhook.ts';
import type { Env } from './shared.ts';

const SIDECAR = 'datakit-profiler';
const SEEN_TIMEOUT_MS = 60_000;
/** The pod sandbox's process is PID 1 of a shared process namespace. */
const PAUSE_AS_PID_1 = /^\s*1\s+\S+\s+\/pause$/m;

const EXAMPLES = [
  { file: 'examples/movies-java-profiler.yaml', app: 'movies-java', process: /java -jar \/app\/movies\.jar/ },
  {
    file: 'examples/movies-python-profiler.yaml',
    app: 'movies-python',
    process: /gunicorn -w 4 --bind 0\.0\.0\.0:8080 app:app/,
  },
] as const;

export function profilersJourney(env: Env): void {
  describe('the manual’s movies-java and movies-python profiler Deployments', () => {
    for (const example of EXAMPLES) {
      it(`${example.app}: datakit-profiler runs and sees the app’s process`, async () => {
        const { kubectl } = env();
        await waitForWebhook(kubectl);
        await kubectl.ok('apply', '-f', example.file);
        const [pod] = await waitForReadyPods(kubectl, 'default', `app=${example.app}`, 1);
        const name = pod!.metadata.name;
        const containers = await kubectl.ok('get', 'pod', name, '-o=jsonpath={.spec.containers[*].name}');
        assert.equal(containers, `${example.app} ${SIDECAR}`);
        const log = await pollUntil(
          async () => {
            const text = await kubectl.ok('logs', name, '-c', SIDECAR);
            return example.process.test(text) ? text : undefined;
          },
          {
            timeoutMs: SEEN_TIMEOUT_MS,
            intervalMs: 1000,
            what: `${SIDECAR} listing the ${example.app} process`,
          },
        );
        assert.match(log, PAUSE_AS_PID_1);
      });
    }
  });
}
