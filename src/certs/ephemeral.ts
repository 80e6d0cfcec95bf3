// The embedded default certificate (SPEC §11, last bullet): with no cert files and no cluster access, the
// operator makes an in-memory CA and a serving certificate at start and writes only the CA (public) to
// disk, so that a local client can trust it. The private keys never leave the process.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import forge from 'node-forge';
import { ErrorCode, OperatorError } from '../errors/codes.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type { TlsMaterial } from './tls-material.ts';

export const EPHEMERAL_BASE_SANS: readonly string[] = ['localhost', '127.0.0.1'];
const CA_COMMON_NAME = 'datakit-operator ephemeral CA';
const SERVING_COMMON_NAME = 'datakit-operator';
const CA_FILE_DIRECTORY = 'datakit-operator';
const CA_FILE_NAME = 'ca.crt';
const RSA_KEY_BITS = 2048;
const VALIDITY_DAYS = 365;
/** notBefore is set a little in the past so that a client whose clock lags still accepts the cert. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateAuthority {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface EphemeralTls {
  readonly material: TlsMaterial;
  readonly caPem: string;
  readonly caPath: string;
}

/** Where the CA is written unless `--ca-out` says otherwise. */
export function defaultCaOutPath(): string {
  return join(tmpdir(), CA_FILE_DIRECTORY, CA_FILE_NAME);
}

export function buildCertificateAuthority(
  now: Date,
  commonName = CA_COMMON_NAME,
  validityDays = VALIDITY_DAYS,
): CertificateAuthority {
  const keys = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  setValidity(cert, now, validityDays);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** A serving certificate for `subjectAltNames` (DNS names and IP addresses, told apart by their syntax). */
export function issueServingCertificate(
  ca: CertificateAuthority,
  subjectAltNames: readonly string[],
  now: Date,
  validityDays = VALIDITY_DAYS,
): TlsMaterial {
  const keys = generateRsaKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  setValidity(cert, now, validityDays);
  cert.setSubject([{ name: 'commonName', value: SERVING_COMMON_NAME }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: toAltNames(subjectAltNames) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.privateKeyPem };
}

/** Generates the CA and the serving pair, and writes the CA certificate to `caPath`. */
export async function createEphemeralTls(options: {
  readonly extraSans: readonly string[];
  readonly caPath: string;
  readonly now: Date;
}): Promise<Result<EphemeralTls, OperatorError>> {
  const ca = buildCertificateAuthority(options.now);
  const sans = [...new Set([...EPHEMERAL_BASE_SANS, ...options.extraSans])];
  const material = issueServingCertificate(ca, sans, options.now);
  try {
    await mkdir(dirname(options.caPath), { recursive: true });
    await writeFile(options.caPath, ca.certPem, { mode: 0o644 });
  } catch (cause) {
    return err(
      new OperatorError(
        ErrorCode.TLS,
        `cannot write the ephemeral CA certificate to ${options.caPath}: ${(cause as Error).message}; ` +
          'choose a writable path with --ca-out FILE',
      ),
    );
  }
  return ok({ material, caPem: ca.certPem, caPath: options.caPath });
}

function generateRsaKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  // node's native generator: node-forge's pure-JS one takes seconds for 2048 bits.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: RSA_KEY_BITS,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

function setValidity(cert: forge.pki.Certificate, now: Date, validityDays: number): void {
  // A positive serial: clear the top bit so the DER integer is not read as negative.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  cert.validity.notAfter = new Date(now.getTime() + validityDays * DAY_MS);
}

const SAN_TYPE_DNS = 2;
const SAN_TYPE_IP = 7;

function toAltNames(names: readonly string[]): { type: number; value?: string; ip?: string }[] {
  return names.map((name) =>
    isIP(name) === 0 ? { type: SAN_TYPE_DNS, value: name } : { type: SAN_TYPE_IP, ip: name },
  );
}
