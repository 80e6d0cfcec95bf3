// The embedded default certificate (SPEC §11, last bullet): with no cert files and no cluster access, the
// operator makes an in-memory CA and a serving certificate at start and writes only the CA (public) to
// disk, so that a local client can trust it. The private keys never leave the process. Those two are
// EC P-256 (x509.ts): generated in well under a millisecond, so the embedded default is up at once.
//
// buildCertificateAuthority / issueServingCertificate make the RSA-2048 pairs of the self-managed Secret
// (certificate-bundle.ts) and of the tests, with node-forge. forge is required on first use only, so that
// the embedded default does not load it.

import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type forgeModule from 'node-forge';
import { ErrorCode } from '../errors/codes.ts';
import { problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type { TlsMaterial } from './tls-material.ts';
import { generateEcKeyPair, writeCertificate } from './x509.ts';

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
  const forge = loadForge();
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
  signCertificate(forge, cert, keys.privateKeyPem);
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** A serving certificate for `subjectAltNames` (DNS names and IP addresses, told apart by their syntax). */
export function issueServingCertificate(
  ca: CertificateAuthority,
  subjectAltNames: readonly string[],
  now: Date,
  validityDays = VALIDITY_DAYS,
): TlsMaterial {
  const forge = loadForge();
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
  signCertificate(forge, cert, ca.keyPem);
  return { cert: forge.pki.certificateToPem(cert), key: keys.privateKeyPem };
}

/** Generates the CA and the serving pair, and writes the CA certificate to `caPath`. */
export async function createEphemeralTls(options: {
  readonly extraSans: readonly string[];
  readonly caPath: string;
  readonly now: Date;
}): Promise<Result<EphemeralTls>> {
  const caKeys = generateEcKeyPair();
  const servingKeys = generateEcKeyPair();
  const caCertPem = writeCertificate({
    subjectCommonName: CA_COMMON_NAME,
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    serial: serialNumber(),
    ...validity(options.now, VALIDITY_DAYS),
    ca: true,
  });
  const material: TlsMaterial = {
    cert: writeCertificate({
      subjectCommonName: SERVING_COMMON_NAME,
      publicKey: servingKeys.publicKey,
      issuer: { commonName: CA_COMMON_NAME, publicKey: caKeys.publicKey },
      signingKey: caKeys.privateKey,
      serial: serialNumber(),
      ...validity(options.now, VALIDITY_DAYS),
      ca: false,
      subjectAltNames: [...new Set([...EPHEMERAL_BASE_SANS, ...options.extraSans])],
    }),
    key: servingKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  try {
    await mkdir(dirname(options.caPath), { recursive: true });
    await writeFile(options.caPath, caCertPem, { mode: 0o644 });
  } catch (cause) {
    return err(
      problem(
        ErrorCode.TLS,
        `cannot write the ephemeral CA certificate to ${options.caPath}: ${(cause as Error).message}; ` +
          'choose a writable path with --ca-out FILE',
      ),
    );
  }
  return ok({ material, caPem: caCertPem, caPath: options.caPath });
}

let forgeLibrary: typeof forgeModule | undefined;

/** node-forge, required (it is CommonJS) on first use. */
function loadForge(): typeof forgeModule {
  forgeLibrary ??= createRequire(import.meta.url)('node-forge') as typeof forgeModule;
  return forgeLibrary;
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

/**
 * Signs `cert` with sha256WithRSAEncryption like forge's `cert.sign(key, sha256)`, but with node's native
 * RSA instead of forge's pure-JS one (tens of milliseconds a signature), and with any PEM private key
 * node reads (PKCS#1 or PKCS#8).
 */
function signCertificate(
  forge: typeof forgeModule,
  cert: forgeModule.pki.Certificate,
  privateKeyPem: string,
): void {
  // getTBSCertificate is public in node-forge but missing from its type definitions.
  const pki = forge.pki as typeof forge.pki & {
    getTBSCertificate(cert: forgeModule.pki.Certificate): forgeModule.asn1.Asn1;
  };
  const algorithmOid = pki.oids['sha256WithRSAEncryption'];
  if (algorithmOid === undefined) throw new Error('node-forge knows no sha256WithRSAEncryption OID');
  cert.signatureOid = algorithmOid;
  cert.siginfo.algorithmOid = algorithmOid;
  cert.tbsCertificate = pki.getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, privateKeyPem).toString('binary');
}

/** 16 random bytes, positive and without a leading zero byte (a DER INTEGER is minimally encoded). */
function serialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

/** From a little before `now` (CLOCK_SKEW_MS) for `validityDays`. */
function validity(now: Date, validityDays: number): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + validityDays * DAY_MS),
  };
}

function setValidity(cert: forgeModule.pki.Certificate, now: Date, validityDays: number): void {
  cert.serialNumber = serialNumber().toString('hex');
  const { notBefore, notAfter } = validity(now, validityDays);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
}

const SAN_TYPE_DNS = 2;
const SAN_TYPE_IP = 7;

function toAltNames(names: readonly string[]): { type: number; value?: string; ip?: string }[] {
  return names.map((name) =>
    isIP(name) === 0 ? { type: SAN_TYPE_DNS, value: name } : { type: SAN_TYPE_IP, ip: name },
  );
}
