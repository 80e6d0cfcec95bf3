// The self-managed TLS Secret, read and written with optimistic concurrency (SPEC §11): whoever finds no
// Secret CREATES one (the API server lets exactly one create succeed; the others read the winner's), and
// whoever finds it due for renewal (renewal.ts, on the injected clock) or unusable REPLACES it with the
// resourceVersion it read (again exactly one write wins; the others adopt it). The result is the bundle
// every replica must serve.

import type { Logger } from 'pino';
import { ErrorCode } from '../errors/codes.ts';
import { problem, type Problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { describeApiError } from '../kube/api-status.ts';
import type { SecretStore, SecretToWrite, SecretWrite, StoredSecret } from '../kube/secrets.ts';
import {
  bundleFacts,
  certificateBundleSecretData,
  issueCertificateBundle,
  readCertificateBundle,
  renewServingCertificate,
  SERVING_VALIDITY_MS,
  TLS_SECRET_TYPE,
  type CertificateBundle,
} from './certificate-bundle.ts';
import { resolveBundleAction } from './renewal.ts';

/** Conflicting writes mean another replica just wrote: after this many in a row something else is wrong. */
const MAX_WRITE_ATTEMPTS = 5;
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'datakit-operator';

export interface TlsSecretDeps {
  readonly secrets: SecretStore;
  readonly namespace: string;
  readonly secretName: string;
  /** The DNS names the serving certificate must cover. */
  readonly requiredNames: readonly string[];
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly now: () => Date;
}

/** Reads the Secret, creating or renewing it when needed, and returns the bundle it holds afterwards. */
export async function obtainCertificateBundle(deps: TlsSecretDeps): Promise<Result<CertificateBundle>> {
  const { secrets, secretName, requiredNames, logger, now } = deps;
  const secretRef = `${deps.namespace}/${secretName}`;
  const failure = (cause: unknown, action: string): Problem =>
    problem(ErrorCode.TLS, describeApiError(cause, `${action} Secret ${secretRef}`));

  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    let stored: StoredSecret | undefined;
    try {
      stored = await secrets.get(secretName);
    } catch (cause) {
      return err(failure(cause, 'reading'));
    }

    if (stored === undefined) {
      const created = issueCertificateBundle(requiredNames, now());
      let write: SecretWrite;
      try {
        write = await secrets.create(secretToWrite(secretName, created));
      } catch (cause) {
        return err(failure(cause, 'creating'));
      }
      if (write.written) {
        logger.info(
          { secret: secretRef },
          `created Secret ${secretRef} with a new CA and serving certificate`,
        );
        return ok(created);
      }
      logger.info({ secret: secretRef }, 'another replica created the TLS Secret first; reading it');
      continue;
    }

    const next = resolveReplacement(stored, deps, secretRef);
    if (next.keep) return ok(next.bundle);
    let write: SecretWrite;
    try {
      write = await secrets.replace(secretToWrite(secretName, next.bundle), stored.resourceVersion);
    } catch (cause) {
      return err(failure(cause, 'updating'));
    }
    if (write.written) {
      logger.info({ secret: secretRef }, `wrote the renewed certificate to Secret ${secretRef}`);
      return ok(next.bundle);
    }
    logger.info({ secret: secretRef }, 'another replica changed the TLS Secret first; using its certificate');
  }
  return err(
    problem(
      ErrorCode.TLS,
      `Secret ${secretRef} changed under every one of ${MAX_WRITE_ATTEMPTS} attempts to write it; ` +
        'check that no other controller manages a Secret of that name (tls.secret_name)',
    ),
  );
}

interface Replacement {
  /** true: the Secret is fine as it is. */
  readonly keep: boolean;
  readonly bundle: CertificateBundle;
}

/** What an existing Secret should hold: its own bundle when it is fine, else a renewed or fresh one. */
function resolveReplacement(stored: StoredSecret, deps: TlsSecretDeps, secretRef: string): Replacement {
  const { requiredNames, logger } = deps;
  const now = deps.now();
  const read = readCertificateBundle(deps.secretName, stored.data);
  if (!read.ok) {
    logger.warn({ secret: secretRef, err: read.error }, `${read.error.message}; replacing it`);
    return { keep: false, bundle: issueCertificateBundle(requiredNames, now) };
  }
  const decision = resolveBundleAction(bundleFacts(read.value), requiredNames, now, SERVING_VALIDITY_MS);
  if (decision.action === 'keep') return { keep: true, bundle: read.value };
  logger.info({ secret: secretRef, action: decision.action }, `renewing the certificate: ${decision.reason}`);
  const bundle =
    decision.action === 'rotate-ca'
      ? issueCertificateBundle(requiredNames, now, read.value)
      : renewServingCertificate(read.value, requiredNames, now);
  return { keep: false, bundle };
}

function secretToWrite(secretName: string, bundle: CertificateBundle): SecretToWrite {
  return {
    name: secretName,
    type: TLS_SECRET_TYPE,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    data: certificateBundleSecretData(bundle),
  };
}
