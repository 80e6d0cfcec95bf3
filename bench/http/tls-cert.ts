// A self-signed certificate for the do-nothing server, of the same kind as the operator's ephemeral one
// (RSA 2048, SHA-256), so that the TLS cost per connection is the same on both sides.

import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

const RSA_KEY_BITS = 2048;
const VALIDITY_MS = 24 * 60 * 60 * 1000;

export interface TlsFiles {
  readonly certPem: string;
  readonly keyPem: string;
}

export function selfSignedLocalhost(): TlsFiles {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: RSA_KEY_BITS,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - VALIDITY_MS);
  cert.validity.notAfter = new Date(Date.now() + VALIDITY_MS);
  const subject = [{ name: 'commonName', value: 'localhost' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}
