// The manual's DDTrace example (examples/nginx-java.yaml, applied as written): its pod runs on the node
// with the injected init container, which has really run and copied the agent into the shared volume.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitForReadyPods } from '../support/pods.ts';
import { DDTRACE_INIT_CONTAINER, waitForWebhook } from '../support/webhook.ts';
import type { Env } from './shared.ts';

const EXAMPLE = 'examples/nginx-java.yaml';
const SELECTOR = 'app=nginx';
const AGENT_DIR = '/datadog-lib';
const AGENT_FILE = 'dd-java-agent.jar'; // what the agent image's copy-lib.sh copies

export function nginxJavaJourney(env: Env): void {
  describe('the manual’s nginx Deployment with admission.datakit/java-lib.version', () => {
    it('runs its pod with datakit-lib-init, which copied the agent for the app', async () => {
      const { kubectl } = env();
      await waitForWebhook(kubectl);
      await kubectl.ok('apply', '-f', EXAMPLE);
      const [pod] = await waitForReadyPods(kubectl, 'default', SELECTOR, 1);
      const names = await kubectl.ok(
        'get',
        'pod',
        pod!.metadata.name,
        '-o=jsonpath={.spec.initContainers[*].name}',
      );
      assert.equal(names, DDTRACE_INIT_CONTAINER);
      const init = pod!.status.initContainerStatuses?.find(
        (status) => status.name === DDTRACE_INIT_CONTAINER,
      );
      assert.equal(init?.state?.terminated?.exitCode, 0, JSON.stringify(init));
      const listing = await kubectl.ok('exec', pod!.metadata.name, '-c', 'nginx', '--', 'ls', AGENT_DIR);
      assert.match(listing, new RegExp(`^${AGENT_FILE.replace('.', '\\.')}$`, 'm'));
    });
  });
}
