import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebhookCaBundles } from '../kube/webhook-config.ts';
import { resolveCaBundlePatch } from './ca-bundle.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const CA_BASE64 = Buffer.from(CA).toString('base64');
const OTHER_BASE64 = Buffer.from('another CA').toString('base64');

function config(...bundles: (string | undefined)[]): WebhookCaBundles {
  return {
    resourceVersion: '42',
    webhooks: bundles.map((caBundle, i) => ({ name: `w${i}.datakit.svc`, caBundle })),
  };
}

describe('resolveCaBundlePatch', () => {
  it('writes nothing when every webhook already trusts the CA', () => {
    assert.equal(resolveCaBundlePatch(config(CA_BASE64, CA_BASE64), CA), undefined);
  });

  it('writes nothing for a configuration without webhooks', () => {
    assert.equal(resolveCaBundlePatch(config(), CA), undefined);
  });

  it('sets only the webhooks whose caBundle is missing or different, guarded by the resourceVersion', () => {
    assert.deepEqual(resolveCaBundlePatch(config(undefined, CA_BASE64, OTHER_BASE64), CA), [
      { op: 'replace', path: '/metadata/resourceVersion', value: '42' },
      { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: CA_BASE64 },
      { op: 'add', path: '/webhooks/2/clientConfig/caBundle', value: CA_BASE64 },
    ]);
  });
});
