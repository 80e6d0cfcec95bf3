// The Secret store and the webhook-configuration client, through client-node, against the fake API
// server: the conflict semantics the self-managed certificate relies on.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { buildSecretStore } from '../../src/kube/secrets.ts';
import { buildWebhookConfigClient } from '../../src/kube/webhook-config.ts';
import { startFakeApiServer, type FakeApiServer } from './fake-api-server.ts';

const NAMESPACE = 'datakit';
const ADMISSION_GROUP = 'admissionregistration.k8s.io';

function kubeConfigFor(server: FakeApiServer): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'fake', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'operator', token: 'token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'operator' }],
    currentContext: 'fake',
  });
  return config;
}

const secret = (value: string) => ({
  name: 'tls',
  type: 'kubernetes.io/tls',
  labels: { app: 'test' },
  data: { 'tls.crt': value, 'tls.key': 'key' },
});

describe('SecretStore against the fake API server', () => {
  let server: FakeApiServer;
  before(async () => (server = await startFakeApiServer()));
  after(() => server.close());

  it('gives undefined for a missing Secret, then creates it once and reports the second create', async () => {
    const store = buildSecretStore(kubeConfigFor(server), NAMESPACE);
    assert.equal(await store.get('tls'), undefined);
    const first = await store.create(secret('one'));
    assert.ok(first.written);
    assert.deepEqual(first.secret.data, { 'tls.crt': 'one', 'tls.key': 'key' });
    assert.deepEqual(await store.create(secret('two')), { written: false });
    const stored = server.get('', 'secrets', NAMESPACE, 'tls');
    assert.equal(
      (stored?.['data'] as Record<string, string>)['tls.crt'],
      Buffer.from('one').toString('base64'),
    );
  });

  it('replaces with the current resourceVersion and refuses a stale one', async () => {
    const store = buildSecretStore(kubeConfigFor(server), NAMESPACE);
    const current = await store.get('tls');
    assert.ok(current);
    const replaced = await store.replace(secret('three'), current.resourceVersion);
    assert.ok(replaced.written);
    assert.notEqual(replaced.secret.resourceVersion, current.resourceVersion);
    assert.deepEqual(await store.replace(secret('four'), current.resourceVersion), { written: false });
    assert.equal((await store.get('tls'))?.data['tls.crt'], 'three');
  });
});

describe('WebhookConfigClient against the fake API server', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startFakeApiServer();
    server.seed(ADMISSION_GROUP, 'mutatingwebhookconfigurations', {
      apiVersion: `${ADMISSION_GROUP}/v1`,
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'hooks' },
      webhooks: [
        {
          name: 'a.datakit.svc',
          clientConfig: { service: { name: 's', namespace: NAMESPACE } },
          unknownField: 'kept',
        },
        { name: 'b.datakit.svc', clientConfig: { service: { name: 's', namespace: NAMESPACE } } },
      ],
    });
  });
  after(() => server.close());

  it('reads the caBundles, and gives undefined for a configuration that does not exist', async () => {
    const client = buildWebhookConfigClient(kubeConfigFor(server));
    const read = await client.readCaBundles('hooks');
    assert.deepEqual(read?.webhooks, [
      { name: 'a.datakit.svc', caBundle: undefined },
      { name: 'b.datakit.svc', caBundle: undefined },
    ]);
    assert.equal(await client.readCaBundles('absent'), undefined);
  });

  it('patches only the caBundle (other fields survive) and reports a patch from a stale read as a conflict', async () => {
    const client = buildWebhookConfigClient(kubeConfigFor(server));
    const read = await client.readCaBundles('hooks');
    assert.ok(read);
    const value = Buffer.from('CA').toString('base64');
    const operations = [
      { op: 'replace' as const, path: '/metadata/resourceVersion', value: read.resourceVersion },
      { op: 'add' as const, path: '/webhooks/1/clientConfig/caBundle', value },
    ];
    assert.equal(await client.patch('hooks', operations), 'patched');
    assert.equal(await client.patch('hooks', operations), 'conflict');
    assert.equal(await client.patch('absent', operations), 'missing');
    const stored = server.get(ADMISSION_GROUP, 'mutatingwebhookconfigurations', undefined, 'hooks');
    const webhooks = stored?.['webhooks'] as { clientConfig: { caBundle?: string }; unknownField?: string }[];
    assert.equal(webhooks[1]?.clientConfig.caBundle, value);
    assert.equal(webhooks[0]?.clientConfig.caBundle, undefined);
    assert.equal(webhooks[0]?.unknownField, 'kept');
  });
});
