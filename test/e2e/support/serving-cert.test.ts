import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeServingCertificate } from './serving-cert.ts';

describe('writeServingCertificate', () => {
  it('writes a pair for IP 127.0.0.1 and localhost, signed by the CA it returns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dko-e2e-cert-test-'));
    try {
      const files = await writeServingCertificate(dir, ['127.0.0.1', 'localhost'], new Date());
      const serving = new X509Certificate(await readFile(files.certFile));
      const ca = new X509Certificate(files.caPem);
      assert.equal(serving.checkIP('127.0.0.1'), '127.0.0.1');
      assert.equal(serving.checkHost('localhost'), 'localhost');
      assert.equal(serving.checkIP('10.0.0.1'), undefined);
      assert.ok(serving.verify(ca.publicKey), 'the serving certificate is not signed by the CA');
      assert.ok(serving.checkPrivateKey(createPrivateKey(await readFile(files.keyFile))));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
