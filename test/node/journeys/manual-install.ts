// The manual's install, as written: `kubectl create namespace datakit; kubectl apply -f
// datakit-operator.yaml; kubectl get pod -n datakit`. The manifest is applied unchanged: its image name is
// that of the locally built operator image (test/node-images), present on the node, so nothing is pulled.
// The operator pods reach the API server through the "kubernetes" Service (kube-proxy), create their
// certificate Secret and write its CA into the webhook's caBundle.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollUntil } from '../../e2e/support/wait.ts';
import { waitForReadyPods } from '../support/pods.ts';
import {
  DATAKIT_NAMESPACE,
  MANIFEST,
  OPERATOR_REPLICAS,
  OPERATOR_SELECTOR,
  TLS_SECRET,
  WEBHOOK_CONFIG,
  type Env,
} from './shared.ts';

const CA_KEY = 'ca.crt';
const SECRET_TIMEOUT_MS = 60_000;

export function manualInstallJourney(env: Env): void {
  describe('the manual’s install: kubectl apply -f deploy/datakit-operator.yaml', () => {
    it('runs both operator pods, Ready, on the node', async () => {
      const { kubectl, node } = env();
      await kubectl.ok('create', 'namespace', DATAKIT_NAMESPACE);
      await kubectl.ok('apply', '-f', MANIFEST);
      const pods = await waitForReadyPods(kubectl, DATAKIT_NAMESPACE, OPERATOR_SELECTOR, OPERATOR_REPLICAS);
      assert.deepEqual(
        pods.map((pod) => pod.spec.nodeName),
        pods.map(() => node.ready.nodeName),
        'scheduled by kube-scheduler onto the node',
      );
      const listing = await kubectl.ok('get', 'pod', '-n', DATAKIT_NAMESPACE);
      assert.equal(listing.match(/\s1\/1\s+Running\s/g)?.length, OPERATOR_REPLICAS, listing);
    });

    it('has its certificate Secret, whose CA is the webhook’s caBundle', async () => {
      const { kubectl } = env();
      const secret = await pollUntil(
        async () => {
          const found = await kubectl.run('get', 'secret', TLS_SECRET, '-n', DATAKIT_NAMESPACE, '-o', 'json');
          return found.code === 0
            ? (JSON.parse(found.stdout) as { type: string; data: Record<string, string> })
            : undefined;
        },
        { timeoutMs: SECRET_TIMEOUT_MS, what: `Secret ${TLS_SECRET}` },
      );
      assert.equal(secret.type, 'kubernetes.io/tls');
      const ca = secret.data[CA_KEY];
      assert.ok(ca, `the Secret has ${CA_KEY}: ${Object.keys(secret.data).join(', ')}`);
      const bundle = await pollUntil(
        async () => {
          const value = await kubectl.ok(
            'get',
            'mutatingwebhookconfiguration',
            WEBHOOK_CONFIG,
            '-o',
            'jsonpath={.webhooks[0].clientConfig.caBundle}',
          );
          return value === ca ? value : undefined;
        },
        { timeoutMs: SECRET_TIMEOUT_MS, what: `the caBundle of ${WEBHOOK_CONFIG} to be the Secret's CA` },
      );
      assert.equal(bundle, ca);
    });
  });
}
