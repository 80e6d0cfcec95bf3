import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { createEphemeralTls } from './ephemeral.ts';
import { generateEcKeyPair, ipAddressBytes, writeCertificate } from './x509.ts';

const now = new Date();
const dir = await mkdtemp(join(tmpdir(), 'dko-x509-'));
const opened = await createEphemeralTls({
  extraSans: ['datakit-operator.datakit.svc', '::1', '::ffff:10.1.2.3', 'fe80::1:2:3'],
  caPath: join(dir, 'ca.crt'),
  now,
});
await rm(dir, { recursive: true, force: true });
if (!opened.ok) throw opened.error;
const { caPem, material } = opened.value;
const ca = new X509Certificate(caPem);
const serving = new X509Certificate(material.cert);

describe('the ephemeral certificates (EC P-256, written by x509.ts)', () => {
  it('makes a CA that signs itself and may sign others', () => {
    assert.equal(ca.ca, true);
    assert.ok(ca.checkIssued(ca));
    assert.ok(ca.verify(ca.publicKey));
    assert.equal(ca.publicKey.asymmetricKeyType, 'ec');
    assert.equal(ca.subject, 'CN=datakit-operator ephemeral CA');
    assert.equal(ca.keyUsage, undefined); // no extended key usage on the CA
  });

  it('issues a serving certificate signed by the CA, valid from a little before now for a year', () => {
    assert.equal(serving.ca, false);
    assert.ok(serving.checkIssued(ca));
    assert.ok(serving.verify(ca.publicKey));
    assert.equal(serving.issuer, ca.subject);
    assert.ok(new Date(serving.validFrom) <= now);
    assert.ok(new Date(serving.validTo) > new Date(now.getTime() + 364 * 24 * 3600 * 1000));
    assert.deepEqual(serving.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  });

  it('covers localhost, 127.0.0.1 and the extra names, IPv6 included, and nothing else', () => {
    assert.equal(serving.checkHost('localhost'), 'localhost');
    assert.equal(serving.checkHost('datakit-operator.datakit.svc'), 'datakit-operator.datakit.svc');
    for (const ip of ['127.0.0.1', '::1', '::ffff:10.1.2.3', 'fe80::1:2:3'])
      assert.equal(serving.checkIP(ip), ip);
    assert.equal(serving.checkHost('example.com'), undefined);
    assert.equal(serving.checkIP('10.0.0.1'), undefined);
  });

  it('pairs the serving certificate with its private key', () => {
    assert.ok(serving.checkPrivateKey(createPrivateKey(material.key)));
  });

  it('completes a verified TLS 1.2 and 1.3 handshake when the client trusts only the CA', async () => {
    const server = createServer({ cert: material.cert, key: material.key }, (socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
        const text = await new Promise<string>((resolve, reject) => {
          const socket = connect(
            { host: '127.0.0.1', port, ca: caPem, minVersion: version, maxVersion: version },
            () => {
              let data = '';
              socket.setEncoding('utf8');
              socket.on('data', (chunk: string) => (data += chunk));
              socket.on('end', () => resolve(data));
            },
          );
          socket.on('error', reject);
        });
        assert.equal(text, 'hello', version);
      }
    } finally {
      server.close();
    }
  });
});

describe('writeCertificate', () => {
  it('encodes serials minimally: leading zero bytes dropped, a zero byte added before a high bit', () => {
    const keys = generateEcKeyPair();
    const base = {
      subjectCommonName: 'x',
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      notBefore: now,
      notAfter: new Date(now.getTime() + 1000),
      ca: true,
    };
    // [serial given, the DER INTEGER's content]
    const cases: [Buffer, string][] = [
      [Buffer.from([0x00, 0x00, 0x12, 0x34]), '1234'],
      [Buffer.from([0x80, 0x01]), '008001'],
      [Buffer.from([0x00]), '00'],
    ];
    for (const [serial, expected] of cases) {
      const der = new X509Certificate(writeCertificate({ ...base, serial })).raw;
      // TBSCertificate: [0] { INTEGER 2 } (v3), then the serial's INTEGER: tag 02, length, content.
      const serialAt = der.indexOf(Buffer.from([0xa0, 0x03, 0x02, 0x01, 0x02, 0x02])) + 6;
      const length = der[serialAt] ?? 0;
      assert.equal(der.subarray(serialAt + 1, serialAt + 1 + length).toString('hex'), expected);
    }
  });

  it('uses GeneralizedTime from 2050 on (RFC 5280), which node reads back', () => {
    const keys = generateEcKeyPair();
    const cert = new X509Certificate(
      writeCertificate({
        subjectCommonName: 'x',
        publicKey: keys.publicKey,
        signingKey: keys.privateKey,
        serial: Buffer.from([1]),
        notBefore: new Date('2049-12-31T23:59:59Z'),
        notAfter: new Date('2051-06-01T00:00:00Z'),
        ca: true,
      }),
    );
    assert.equal(new Date(cert.validFrom).toISOString(), '2049-12-31T23:59:59.000Z');
    assert.equal(new Date(cert.validTo).toISOString(), '2051-06-01T00:00:00.000Z');
  });
});

describe('ipAddressBytes', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', '7f000001'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['fe80::1:2:3', 'fe800000000000000000000100020003'],
    ['2001:db8::', '20010db8000000000000000000000000'],
    ['::ffff:10.1.2.3', '00000000000000000000ffff0a010203'],
    ['::10.1.2.3', '0000000000000000000000000a010203'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['1:2:3:4:5:6:10.1.2.3', '0001000200030004000500060a010203'],
  ];
  for (const [address, hex] of cases) {
    it(address, () => assert.equal(ipAddressBytes(address).toString('hex'), hex));
  }
});
