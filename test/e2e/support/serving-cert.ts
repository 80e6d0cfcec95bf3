// The main operator's serving certificate. The API server calls the webhook at https://<host>:<port>, so
// the certificate needs that host (normally the IP 127.0.0.1) as a SAN. The e2e tier serves it in
// `tls.mode: files` (what cert-manager installs use), not `ephemeral`: the same pair survives the
// operator's restarts in the "operator stopped" journey, so the caBundle registered once stays valid.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCertificateAuthority, issueServingCertificate } from '../../../src/certs/ephemeral.ts';

export interface ServingCertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** PEM of the CA that signed it: the webhook configuration's caBundle. */
  readonly caPem: string;
}

const CA_NAME = 'datakit-operator e2e CA';

export async function writeServingCertificate(
  dir: string,
  subjectAltNames: readonly string[],
  now: Date,
): Promise<ServingCertificateFiles> {
  const ca = buildCertificateAuthority(now, CA_NAME);
  const serving = issueServingCertificate(ca, subjectAltNames, now);
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  await writeFile(certFile, serving.cert, { mode: 0o644 });
  await writeFile(keyFile, serving.key, { mode: 0o600 });
  return { certFile, keyFile, caPem: ca.certPem };
}
