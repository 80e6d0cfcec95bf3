// DDTrace for Node.js on a real node: the injected init container copies the real dd-trace (from the npm
// registry) into the shared volume, NODE_OPTIONS makes the app load it, and its traces reach the DataKit
// the config names (datakit-service.datakit.svc:9529, resolved by the node's DNS and routed by
// kube-proxy), tagged by the kubelet's $(VAR) expansion of DD_TAGS with the real pod, namespace and node.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { pollUntil } from '../../e2e/support/wait.ts';
import type { Span } from '../support/fake-datakit.ts';
import { waitForReadyPods } from '../support/pods.ts';
import { DDTRACE_INIT_CONTAINER, waitForWebhook } from '../support/webhook.ts';
import { DATAKIT_NAMESPACE, type Env } from './shared.ts';

const MANIFEST = 'test/node/manifests/nodejs-app.yaml';
const NAMESPACE = 'node-apps';
const SELECTOR = 'app=nodejs-app';
const SERVICE = 'nodejs-app'; // DD_SERVICE comes from the pod's `service` label
/** dd-trace flushes every 2 s; its first flush waits for the agent check. */
const TRACES_TIMEOUT_MS = 90_000;
const LOG_TIMEOUT_MS = 30_000;

export function nodejsTracesJourney(env: Env): void {
  describe('a Node.js Deployment with admission.datakit/nodejs-lib.version', () => {
    before(async () => {
      const e = env();
      await e.datakit.publish(e.kubectl, DATAKIT_NAMESPACE, e.node.ready.nodeIP, e.dir);
      await e.kubectl.ok('create', 'namespace', NAMESPACE);
    });

    it('loads the real dd-trace, whose traces reach the fake DataKit with the pod’s tags', async () => {
      const { kubectl, datakit, node } = env();
      await waitForWebhook(kubectl);
      await kubectl.ok('apply', '-f', MANIFEST);
      const [pod] = await waitForReadyPods(kubectl, NAMESPACE, SELECTOR, 1);
      const name = pod!.metadata.name;
      assert.deepEqual(
        pod!.spec.initContainers?.map((c) => c.name),
        [DDTRACE_INIT_CONTAINER],
      );
      let log = '';
      await pollUntil(
        async () => {
          log = await kubectl.ok('logs', '-n', NAMESPACE, name, '-c', 'app');
          return log.includes('dd-trace loaded:') ? log : undefined;
        },
        { timeoutMs: LOG_TIMEOUT_MS, intervalMs: 1000, what: `the app's first log line` },
      );
      assert.match(log, /dd-trace loaded: true/, log);

      const tagged = (span: Span): boolean => span.meta?.pod_name === name;
      let seen: Span[] = [];
      const span = await pollUntil(
        async () => {
          seen = datakit.spans;
          return seen.find(tagged);
        },
        { timeoutMs: TRACES_TIMEOUT_MS, intervalMs: 1000, what: `a span tagged pod_name:${name}` },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; ${seen.length} spans, problems: ${datakit.problems.join('; ')}`);
      });
      assert.equal(span.meta?.pod_namespace, NAMESPACE);
      assert.equal(span.meta?.host, node.ready.nodeName);
      assert.equal(span.service, SERVICE);
    });
  });
}
