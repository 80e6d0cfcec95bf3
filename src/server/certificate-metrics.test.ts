import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { Registry } from 'prom-client';
import { buildCertificateAuthority, issueServingCertificate } from '../certs/ephemeral.ts';
import type { TlsMaterial, TlsSource } from '../certs/tls-material.ts';
import { CERTIFICATE_EXPIRY_METRIC, registerCertificateExpiryGauge } from './certificate-metrics.ts';

const now = new Date();
const ca = buildCertificateAuthority(now);
const shortLived = issueServingCertificate(ca, ['localhost'], now, 10);
const longLived = issueServingCertificate(ca, ['localhost'], now, 400);

function switchableSource(initial: TlsMaterial): TlsSource & { set(material: TlsMaterial): void } {
  let current = initial;
  return { current: () => current, onChange: () => () => {}, close: () => {}, set: (m) => (current = m) };
}

function expirySeconds(material: TlsMaterial): number {
  return Math.floor(new Date(new X509Certificate(material.cert).validTo).getTime() / 1000);
}

async function scraped(registry: Registry): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(CERTIFICATE_EXPIRY_METRIC)?.get();
  return metric?.values[0]?.value;
}

describe('the certificate expiry gauge', () => {
  it("reports the served certificate's notAfter, labelled with the TLS mode", async () => {
    const registry = new Registry();
    registerCertificateExpiryGauge(registry, switchableSource(shortLived), 'self-managed');
    const text = await registry.metrics();
    assert.match(
      text,
      new RegExp(`${CERTIFICATE_EXPIRY_METRIC}\\{mode="self-managed"\\} ${expirySeconds(shortLived)}`),
    );
  });

  it('follows a reloaded certificate at the next scrape', async () => {
    const registry = new Registry();
    const source = switchableSource(shortLived);
    registerCertificateExpiryGauge(registry, source, 'files');
    assert.equal(await scraped(registry), expirySeconds(shortLived));
    source.set(longLived);
    assert.equal(await scraped(registry), expirySeconds(longLived));
  });

  it('reports nothing rather than a wrong time when the certificate does not parse', async () => {
    const registry = new Registry();
    registerCertificateExpiryGauge(registry, switchableSource({ cert: 'garbage', key: '' }), 'files');
    assert.equal(await scraped(registry), undefined);
  });
});
