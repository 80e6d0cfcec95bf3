import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { parseAllDocuments } from 'yaml';
import {
  buildWebhookConfiguration,
  PRODUCTION_NAMESPACE_SELECTOR,
  WEBHOOK_PATH,
  webhookUrl,
} from './webhook-registration.ts';

const MANIFEST = new URL('../../../deploy/datakit-operator.yaml', import.meta.url);
/** The fields SPEC §12 fixes; clientConfig and the object's name necessarily differ. */
const PRODUCTION_FIELDS = [
  'name',
  'admissionReviewVersions',
  'rules',
  'failurePolicy',
  'sideEffects',
  'timeoutSeconds',
  'reinvocationPolicy',
  'namespaceSelector',
] as const;

type Webhook = Record<string, unknown> & { clientConfig: Record<string, unknown> };

function firstWebhook(object: Record<string, unknown>): Webhook {
  const webhooks = object['webhooks'] as Webhook[];
  assert.equal(webhooks.length, 1);
  return webhooks[0]!;
}

const url = webhookUrl('127.0.0.1', 9443);
const registrations = [
  { title: 'a URL and a caBundle', registration: { name: 'e2e', clientConfig: { url }, caPem: 'PEM' } },
  {
    title: 'a Service and no caBundle (filled in by the self-managed operator)',
    registration: {
      name: 'e2e-sm',
      clientConfig: {
        service: { namespace: 'ns', name: 'datakit-operator', path: WEBHOOK_PATH, port: 9443 },
      },
      namespaceSelector: { matchLabels: { a: 'b' } },
    },
  },
];

describe('buildWebhookConfiguration', () => {
  for (const { title, registration } of registrations) {
    it(`passes the Kubernetes schema with ${title}`, () => {
      const object = buildWebhookConfiguration(registration);
      assert.doesNotThrow(() => new MutatingWebhookConfiguration(object as never).validate());
    });
  }

  it('carries the caBundle base64-encoded', () => {
    const webhook = firstWebhook(
      buildWebhookConfiguration({ name: 'e2e', clientConfig: { url }, caPem: 'PEM' }),
    );
    assert.equal(webhook.clientConfig['caBundle'], Buffer.from('PEM').toString('base64'));
    assert.equal(webhook.clientConfig['url'], 'https://127.0.0.1:9443/v1/webhooks/inject');
  });

  it('registers the same webhook settings as deploy/datakit-operator.yaml', async () => {
    const documents = parseAllDocuments(await readFile(MANIFEST, 'utf8')).map((document) =>
      document.toJSON(),
    );
    const shipped = documents.find((document) => document?.kind === 'MutatingWebhookConfiguration');
    assert.ok(shipped, 'deploy/datakit-operator.yaml has no MutatingWebhookConfiguration');
    const ours = firstWebhook(buildWebhookConfiguration({ name: 'e2e', clientConfig: { url } }));
    const theirs = firstWebhook(shipped);
    for (const field of PRODUCTION_FIELDS) assert.deepStrictEqual(ours[field], theirs[field], field);
    assert.equal((theirs.clientConfig['service'] as { path: string }).path, new URL(url).pathname);
  });

  it('the production namespaceSelector skips kube-system, kube-node-lease and opted-out namespaces', () => {
    assert.deepStrictEqual(PRODUCTION_NAMESPACE_SELECTOR.matchExpressions, [
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kube-node-lease'] },
      { key: 'admission.datakit/enabled', operator: 'NotIn', values: ['false'] },
    ]);
  });
});

describe('webhookUrl', () => {
  const cases = [
    { host: '127.0.0.1', expected: 'https://127.0.0.1:9443/v1/webhooks/inject' },
    { host: '::1', expected: 'https://[::1]:9443/v1/webhooks/inject' },
    { host: 'host.example', expected: 'https://host.example:9443/v1/webhooks/inject' },
  ];
  for (const { host, expected } of cases) {
    it(`puts ${host} into a valid https URL`, () => assert.equal(webhookUrl(host, 9443), expected));
  }
});
