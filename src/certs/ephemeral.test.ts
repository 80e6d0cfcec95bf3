import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { buildCertificateAuthority, createEphemeralTls, issueServingCertificate } from './ephemeral.ts';

const now = new Date();
const ca = buildCertificateAuthority(now);
const serving = issueServingCertificate(
  ca,
  ['localhost', '127.0.0.1', 'datakit-operator.datakit.svc', '::1'],
  now,
);

describe('ephemeral certificates', () => {
  it('makes a CA that signs itself and may sign others', () => {
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.ok(cert.checkIssued(cert));
    assert.ok(cert.verify(cert.publicKey));
  });

  it('issues a serving certificate signed by the CA and valid from (a little before) now', () => {
    const cert = new X509Certificate(serving.cert);
    const caCert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, false);
    assert.ok(cert.checkIssued(caCert));
    assert.ok(cert.verify(caCert.publicKey));
    assert.ok(new Date(cert.validFrom) <= now);
    assert.ok(new Date(cert.validTo) > new Date(now.getTime() + 300 * 24 * 3600 * 1000));
  });

  const names: readonly [string, 'host' | 'ip'][] = [
    ['localhost', 'host'],
    ['datakit-operator.datakit.svc', 'host'],
    ['127.0.0.1', 'ip'],
    ['::1', 'ip'],
  ];
  for (const [name, kind] of names) {
    it(`covers the ${kind === 'ip' ? 'IP address' : 'DNS name'} ${name}`, () => {
      const cert = new X509Certificate(serving.cert);
      const matched = kind === 'ip' ? cert.checkIP(name) : cert.checkHost(name);
      assert.equal(matched, name);
    });
  }

  it('does not cover names it was not given', () => {
    const cert = new X509Certificate(serving.cert);
    assert.equal(cert.checkHost('example.com'), undefined);
    assert.equal(cert.checkIP('10.0.0.1'), undefined);
  });

  it('pairs the serving certificate with its private key', () => {
    const cert = new X509Certificate(serving.cert);
    assert.ok(cert.checkPrivateKey(createPrivateKey(serving.key)));
  });

  it('completes a verified TLS handshake for 127.0.0.1 when the client trusts only the CA', async () => {
    const server = createServer({ cert: serving.cert, key: serving.key }, (socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, ca: ca.certPem }, () => {
          let data = '';
          socket.setEncoding('utf8');
          socket.on('data', (chunk: string) => (data += chunk));
          socket.on('end', () => resolve(data));
        });
        socket.on('error', reject);
      });
      assert.equal(text, 'hello');
    } finally {
      server.close();
    }
  });
});

describe('createEphemeralTls', () => {
  it('writes the CA certificate (and no key) to the given path, creating its directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dko-ephemeral-'));
    try {
      const caPath = join(dir, 'nested', 'ca.crt');
      const result = await createEphemeralTls({ extraSans: ['my-host'], caPath, now: new Date() });
      assert.ok(result.ok);
      const written = await readFile(caPath, 'utf8');
      assert.equal(written, result.value.caPem);
      assert.doesNotMatch(written, /PRIVATE KEY/);
      const cert = new X509Certificate(result.value.material.cert);
      assert.equal(cert.checkHost('my-host'), 'my-host');
      assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports an unwritable CA path as an error that points at --ca-out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dko-ephemeral-'));
    try {
      const blocker = join(dir, 'file');
      await writeFile(blocker, 'not a directory');
      const result = await createEphemeralTls({
        extraSans: [],
        caPath: join(blocker, 'ca.crt'),
        now: new Date(),
      });
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.error.code, 'DKO_ERR_TLS');
        assert.match(result.error.message, /--ca-out/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
