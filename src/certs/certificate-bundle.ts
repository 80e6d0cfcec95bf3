// What the self-managed TLS Secret holds (SPEC §11): a CA and the serving pair it signed. The Secret is of
// type kubernetes.io/tls (tls.crt, tls.key) plus ca.crt and ca.key, so that any replica can renew the
// serving certificate. `ca.crt` may hold more than one certificate: after a CA rotation the previous CA
// stays in it (and so in the webhook's caBundle) until it expires, so that replicas still serving a
// certificate from the old CA keep being trusted while they reload.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import { ErrorCode } from '../errors/codes.ts';
import { problem, type Problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import {
  buildCertificateAuthority,
  issueServingCertificate,
  type CertificateAuthority,
} from './ephemeral.ts';
import type { TlsMaterial } from './tls-material.ts';

export const TLS_SECRET_TYPE = 'kubernetes.io/tls';
export const TLS_SECRET_KEYS = {
  cert: 'tls.crt',
  key: 'tls.key',
  caCert: 'ca.crt',
  caKey: 'ca.key',
} as const;

export const CA_COMMON_NAME = 'datakit-operator CA';
export const CA_VALIDITY_DAYS = 3650;
export const SERVING_VALIDITY_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;
export const SERVING_VALIDITY_MS = SERVING_VALIDITY_DAYS * DAY_MS;

const CLUSTER_DOMAIN = 'cluster.local';
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export interface CertificateBundle {
  /** PEM: the CA that signs (first), then older CAs still trusted during a rotation. */
  readonly caCerts: string;
  /** PEM: the key of the first CA in `caCerts`. */
  readonly caKey: string;
  readonly serving: TlsMaterial;
}

/** What renewal decisions need to know about a bundle, read from its certificates. */
export interface BundleFacts {
  readonly servingNotAfter: Date;
  readonly signingCaNotAfter: Date;
  /** The DNS names the serving certificate covers. */
  readonly servingNames: readonly string[];
}

/** The names the API server may use for the webhook Service (SPEC §11). */
export function servingSubjectAltNames(serviceName: string, namespace: string): readonly string[] {
  return [
    serviceName,
    `${serviceName}.${namespace}`,
    `${serviceName}.${namespace}.svc`,
    `${serviceName}.${namespace}.svc.${CLUSTER_DOMAIN}`,
  ];
}

/** A new CA and a serving pair. Older CAs of `previous` that have not expired stay trusted after it. */
export function issueCertificateBundle(
  names: readonly string[],
  now: Date,
  previous?: CertificateBundle,
): CertificateBundle {
  const ca = buildCertificateAuthority(now, CA_COMMON_NAME, CA_VALIDITY_DAYS);
  const stillValid = previous ? unexpiredCertificates(previous.caCerts, now) : [];
  return {
    caCerts: [...splitCertificates(ca.certPem), ...stillValid].join(''),
    caKey: withUnixLineEnds(ca.keyPem),
    serving: servingPair(issueServingCertificate(ca, names, now, SERVING_VALIDITY_DAYS)),
  };
}

/** A new serving pair from the bundle's signing CA; expired older CAs are dropped on the way. */
export function renewServingCertificate(
  bundle: CertificateBundle,
  names: readonly string[],
  now: Date,
): CertificateBundle {
  const [signing = '', ...older] = splitCertificates(bundle.caCerts);
  const ca: CertificateAuthority = { certPem: signing, keyPem: bundle.caKey };
  return {
    caCerts: [signing, ...unexpiredCertificates(older.join(''), now)].join(''),
    caKey: bundle.caKey,
    serving: servingPair(issueServingCertificate(ca, names, now, SERVING_VALIDITY_DAYS)),
  };
}

export function certificateBundleSecretData(bundle: CertificateBundle): Record<string, string> {
  return {
    [TLS_SECRET_KEYS.cert]: bundle.serving.cert,
    [TLS_SECRET_KEYS.key]: bundle.serving.key,
    [TLS_SECRET_KEYS.caCert]: bundle.caCerts,
    [TLS_SECRET_KEYS.caKey]: bundle.caKey,
  };
}

/**
 * Reads a bundle from the Secret's (decoded) data and checks that it holds together: every key present,
 * every PEM parsable, each key belonging to its certificate, the serving certificate signed by the CA.
 */
export function readCertificateBundle(
  secretName: string,
  data: Readonly<Record<string, string>>,
): Result<CertificateBundle> {
  const missing = Object.values(TLS_SECRET_KEYS).filter((key) => !data[key]);
  if (missing.length > 0) {
    return err(invalid(secretName, `it has no ${missing.join(', ')}`));
  }
  const bundle: CertificateBundle = {
    caCerts: data[TLS_SECRET_KEYS.caCert] ?? '',
    caKey: data[TLS_SECRET_KEYS.caKey] ?? '',
    serving: { cert: data[TLS_SECRET_KEYS.cert] ?? '', key: data[TLS_SECRET_KEYS.key] ?? '' },
  };
  try {
    const [signingPem] = splitCertificates(bundle.caCerts);
    if (signingPem === undefined)
      return err(invalid(secretName, `${TLS_SECRET_KEYS.caCert} holds no certificate`));
    const signing = new X509Certificate(signingPem);
    const serving = new X509Certificate(bundle.serving.cert);
    if (!signing.checkPrivateKey(createPrivateKey(bundle.caKey))) {
      return err(
        invalid(
          secretName,
          `${TLS_SECRET_KEYS.caKey} does not belong to the first certificate in ${TLS_SECRET_KEYS.caCert}`,
        ),
      );
    }
    if (!serving.checkPrivateKey(createPrivateKey(bundle.serving.key))) {
      return err(invalid(secretName, `${TLS_SECRET_KEYS.key} does not belong to ${TLS_SECRET_KEYS.cert}`));
    }
    if (!serving.checkIssued(signing) || !serving.verify(signing.publicKey)) {
      return err(
        invalid(secretName, `${TLS_SECRET_KEYS.cert} was not signed by the CA in ${TLS_SECRET_KEYS.caCert}`),
      );
    }
  } catch (cause) {
    return err(invalid(secretName, `a certificate or key does not parse (${(cause as Error).message})`));
  }
  return ok(bundle);
}

/** Call only on a bundle that `readCertificateBundle` or the issue functions produced. */
export function bundleFacts(bundle: CertificateBundle): BundleFacts {
  const serving = new X509Certificate(bundle.serving.cert);
  const signing = new X509Certificate(splitCertificates(bundle.caCerts)[0] ?? '');
  return {
    servingNotAfter: new Date(serving.validTo),
    signingCaNotAfter: new Date(signing.validTo),
    servingNames: dnsNamesOf(serving),
  };
}

/** The expiry of the first certificate in a PEM text; undefined when it does not parse. */
export function certificateNotAfter(pem: string): Date | undefined {
  try {
    return new Date(new X509Certificate(pem).validTo);
  } catch {
    return undefined;
  }
}

/** The certificates in a PEM text, each with Unix line ends and a final newline. */
export function splitCertificates(pem: string): string[] {
  return [...pem.matchAll(PEM_CERTIFICATE)].map((match) => `${withUnixLineEnds(match[0])}\n`);
}

// node-forge writes CRLF; the Secret, caBundle and logs read better (and compare equal) with LF only.
function withUnixLineEnds(pem: string): string {
  return pem.replace(/\r\n/g, '\n');
}

function servingPair(material: TlsMaterial): TlsMaterial {
  return { cert: withUnixLineEnds(material.cert), key: withUnixLineEnds(material.key) };
}

function unexpiredCertificates(pem: string, now: Date): string[] {
  return splitCertificates(pem).filter(
    (certificate) => (certificateNotAfter(certificate)?.getTime() ?? 0) > now.getTime(),
  );
}

function dnsNamesOf(certificate: X509Certificate): string[] {
  const DNS_PREFIX = 'DNS:';
  return (certificate.subjectAltName ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith(DNS_PREFIX))
    .map((entry) => entry.slice(DNS_PREFIX.length));
}

function invalid(secretName: string, reason: string): Problem {
  return problem(
    ErrorCode.TLS,
    `Secret ${secretName} does not hold a usable certificate bundle: ${reason}; ` +
      'delete the Secret and the operator creates a new one (or use tls.mode "files" for certificates you manage)',
  );
}
