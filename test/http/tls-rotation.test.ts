import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { ClientHttp2Session } from 'node:http2';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { buildCertificateAuthority, issueServingCertificate } from '../../src/certs/ephemeral.ts';
import { LOOPBACK, h2Request, openH2Session, startTestServer, waitFor, type TestServer } from './support.ts';

const now = new Date();
const firstCa = buildCertificateAuthority(now, 'first CA');
const secondCa = buildCertificateAuthority(now, 'second CA');
const firstPair = issueServingCertificate(firstCa, ['localhost', LOOPBACK], now);
const secondPair = issueServingCertificate(secondCa, ['localhost', LOOPBACK], now);
const bothCas = firstCa.certPem + secondCa.certPem;

function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/** The fingerprint of the certificate a NEW connection is served. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: LOOPBACK, port, ca: bothCas, ALPNProtocols: ['h2'] }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

describe('TLS certificate files', () => {
  let dir: string;
  let harness: TestServer;
  let certFile: string;
  let keyFile: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dko-rotation-'));
    certFile = join(dir, 'tls.crt');
    keyFile = join(dir, 'tls.key');
    await writeFile(certFile, firstPair.cert);
    await writeFile(keyFile, firstPair.key);
    harness = await startTestServer({
      env: {
        ENV_JSON_CONFIG: JSON.stringify({ tls: { mode: 'files', cert_file: certFile, key_file: keyFile } }),
      },
      watch: { pollMs: 100, debounceMs: 20 },
    });
  });
  after(async () => {
    await harness.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the certificate from the files', async () => {
    assert.equal(harness.server.tlsMode, 'files');
    assert.equal(harness.server.caPem, undefined);
    assert.equal(await servedFingerprint(harness.server.mainPort), fingerprint(firstPair.cert));
  });

  it('serves a rotated certificate to new connections while an open h2 session keeps working', async () => {
    const existing: ClientHttp2Session = await openH2Session(harness.server.mainPort, bothCas);
    try {
      assert.equal((await h2Request(existing, { method: 'GET', path: '/ping' })).status, 200);

      await writeFile(certFile, secondPair.cert);
      await writeFile(keyFile, secondPair.key);
      await waitFor(
        async () => (await servedFingerprint(harness.server.mainPort)) === fingerprint(secondPair.cert),
        'new connections to get the rotated certificate',
      );

      const reply = await h2Request(existing, { method: 'GET', path: '/v1/ping' });
      assert.equal(reply.status, 200);
      assert.equal(existing.closed, false);
      const stillServed = (existing.socket as unknown as TLSSocket).getPeerCertificate().fingerprint256;
      assert.equal(stillServed, fingerprint(firstPair.cert));

      const fresh = await openH2Session(harness.server.mainPort, secondCa.certPem);
      try {
        assert.equal((await h2Request(fresh, { method: 'GET', path: '/ping' })).body, 'OK\n');
      } finally {
        fresh.close();
      }
    } finally {
      existing.close();
    }
  });

  it('keeps serving the last good certificate when the files are replaced by a broken pair', async () => {
    const errorsBefore = harness.logs.filter((line) => line.level === 'error').length;
    await writeFile(certFile, firstPair.cert);
    await waitFor(
      () => harness.logs.filter((line) => line.level === 'error').length > errorsBefore,
      'the rejected reload to be logged',
    );
    assert.equal(await servedFingerprint(harness.server.mainPort), fingerprint(secondPair.cert));
  });
});
