import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  bundleFacts,
  certificateBundleSecretData,
  certificateNotAfter,
  issueCertificateBundle,
  readCertificateBundle,
  renewServingCertificate,
  servingSubjectAltNames,
  splitCertificates,
  TLS_SECRET_KEYS,
} from './certificate-bundle.ts';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2030-01-01T00:00:00Z');
const names = servingSubjectAltNames('datakit-operator', 'monitoring');
const bundle = issueCertificateBundle(names, now);

describe('servingSubjectAltNames', () => {
  it('names the Service in every form the API server may use', () => {
    assert.deepEqual(servingSubjectAltNames('dko', 'ops'), [
      'dko',
      'dko.ops',
      'dko.ops.svc',
      'dko.ops.svc.cluster.local',
    ]);
  });
});

describe('issueCertificateBundle', () => {
  it('issues a serving certificate for every name, signed by the CA, valid for a year', () => {
    const serving = new X509Certificate(bundle.serving.cert);
    const ca = new X509Certificate(bundle.caCerts);
    for (const name of names) assert.equal(serving.checkHost(name), name);
    assert.ok(serving.checkIssued(ca) && serving.verify(ca.publicKey));
    const facts = bundleFacts(bundle);
    assert.deepEqual(facts.servingNames, names);
    assert.equal(Math.round((facts.servingNotAfter.getTime() - now.getTime()) / DAY), 365);
    assert.equal(Math.round((facts.signingCaNotAfter.getTime() - now.getTime()) / DAY), 3650);
  });

  it('keeps the previous CA trusted after a rotation, but not an expired one', () => {
    const later = new Date(now.getTime() + 3000 * DAY);
    const rotated = issueCertificateBundle(names, later, bundle);
    const cas = splitCertificates(rotated.caCerts);
    assert.equal(cas.length, 2);
    assert.equal(cas[1], bundle.caCerts);
    assert.notEqual(cas[0], bundle.caCerts);
    const muchLater = new Date(now.getTime() + 3700 * DAY);
    assert.equal(splitCertificates(issueCertificateBundle(names, muchLater, bundle).caCerts).length, 1);
  });
});

describe('renewServingCertificate', () => {
  it('issues a new serving pair from the same CA', () => {
    const later = new Date(now.getTime() + 340 * DAY);
    const renewed = renewServingCertificate(bundle, names, later);
    assert.equal(renewed.caCerts, bundle.caCerts);
    assert.equal(renewed.caKey, bundle.caKey);
    assert.notEqual(renewed.serving.cert, bundle.serving.cert);
    assert.ok(readCertificateBundle('s', certificateBundleSecretData(renewed)).ok);
    assert.equal(Math.round((bundleFacts(renewed).servingNotAfter.getTime() - later.getTime()) / DAY), 365);
  });
});

describe('readCertificateBundle', () => {
  it('reads back what certificateBundleSecretData wrote', () => {
    const data = certificateBundleSecretData(bundle);
    assert.deepEqual(Object.keys(data).sort(), ['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    assert.deepEqual(readCertificateBundle('dko-tls', data), { ok: true, value: bundle });
  });

  const other = issueCertificateBundle(names, now);
  const good = certificateBundleSecretData(bundle);
  const broken: readonly [string, Record<string, string>, RegExp][] = [
    ['a missing key', { ...good, [TLS_SECRET_KEYS.caKey]: '' }, /has no ca\.key/],
    [
      'a serving key from another pair',
      { ...good, [TLS_SECRET_KEYS.key]: other.serving.key },
      /tls\.key does not belong/,
    ],
    [
      'a CA key from another CA',
      { ...good, [TLS_SECRET_KEYS.caKey]: other.caKey },
      /ca\.key does not belong/,
    ],
    [
      'a serving pair signed by another CA',
      { ...good, [TLS_SECRET_KEYS.cert]: other.serving.cert, [TLS_SECRET_KEYS.key]: other.serving.key },
      /was not signed by the CA/,
    ],
    ['a certificate that is not PEM', { ...good, [TLS_SECRET_KEYS.cert]: 'junk' }, /does not parse/],
    ['a ca.crt with no certificate', { ...good, [TLS_SECRET_KEYS.caCert]: 'junk' }, /holds no certificate/],
  ];
  for (const [name, data, message] of broken) {
    it(`refuses ${name}, naming the Secret and how to recover`, () => {
      const result = readCertificateBundle('dko-tls', data);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.error.code, 'DKO_ERR_TLS');
        assert.match(result.error.message, /^Secret dko-tls does not hold a usable certificate bundle/);
        assert.match(result.error.message, message);
        assert.match(result.error.message, /delete the Secret/);
      }
    });
  }
});

describe('certificateNotAfter', () => {
  it('reads the expiry, or gives undefined for text that is not a certificate', () => {
    assert.deepEqual(certificateNotAfter(bundle.serving.cert), bundleFacts(bundle).servingNotAfter);
    assert.equal(certificateNotAfter('nope'), undefined);
  });
});
