import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveE2eSettings } from './settings.ts';

describe('resolveE2eSettings', () => {
  const cases = [
    { title: 'starts the harness by default', env: {}, cluster: { kind: 'harness' } },
    {
      title: 'ignores KUBECONFIG without E2E_USE_KUBECONFIG=1',
      env: { KUBECONFIG: '/home/me/.kube/config' },
      cluster: { kind: 'harness' },
    },
    {
      title: 'targets KUBECONFIG (its first file) with E2E_USE_KUBECONFIG=1',
      env: { KUBECONFIG: '/a:/b', E2E_USE_KUBECONFIG: '1' },
      cluster: { kind: 'existing', kubeconfig: '/a', source: 'KUBECONFIG' },
    },
    {
      title: 'prefers E2E_KUBECONFIG',
      env: { E2E_KUBECONFIG: '/e2e', KUBECONFIG: '/a', E2E_USE_KUBECONFIG: '1' },
      cluster: { kind: 'existing', kubeconfig: '/e2e', source: 'E2E_KUBECONFIG' },
    },
  ];
  for (const { title, env, cluster } of cases) {
    it(title, () => assert.deepStrictEqual(resolveE2eSettings(env).cluster, cluster));
  }

  it('listens on loopback for a webhook host on loopback, else on every interface', () => {
    assert.deepStrictEqual(resolveE2eSettings({}), {
      cluster: { kind: 'harness' },
      webhookHost: '127.0.0.1',
      listenHost: '127.0.0.1',
    });
    const bridged = resolveE2eSettings({ E2E_WEBHOOK_HOST: '172.17.0.1' });
    assert.equal(bridged.webhookHost, '172.17.0.1');
    assert.equal(bridged.listenHost, '0.0.0.0');
  });
});
