// Self-managed TLS (SPEC §11, the default in a cluster): the operator keeps its CA and serving pair in a
// Secret in its own namespace and the CA in the webhook configuration's caBundle, so nothing private is
// shipped in the image or the manifest, and any number of replicas agree on one certificate:
// - create-if-absent: every replica that finds no Secret generates a bundle and CREATES it; the API server
//   lets exactly one create succeed, and the others read and serve the winner's;
// - renewal: a replica that finds the bundle due (the injected clock, renewal.ts) REPLACES it with the
//   resourceVersion it read, so again exactly one write wins and the losers adopt it;
// - every replica polls the Secret and swaps a changed pair in through `onChange` (the listener calls
//   setSecureContext: new handshakes get the new pair, open connections carry on), and makes sure every
//   webhook's caBundle holds ca.crt, writing only when it differs.
// The caBundle is written before this replica serves a pair from a new CA, and ca.crt keeps the previous
// CA while it is valid, so the API server trusts every replica throughout a rotation.

import type { Logger } from 'pino';
import { ErrorCode, OperatorError } from '../errors/codes.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { describeApiError } from '../kube/api-status.ts';
import type { SecretStore, SecretToWrite, SecretWrite } from '../kube/secrets.ts';
import type { WebhookConfigClient } from '../kube/webhook-config.ts';
import { resolveCaBundlePatch } from './ca-bundle.ts';
import {
  bundleFacts,
  certificateBundleSecretData,
  issueCertificateBundle,
  readCertificateBundle,
  renewServingCertificate,
  servingSubjectAltNames,
  SERVING_VALIDITY_MS,
  TLS_SECRET_TYPE,
  type CertificateBundle,
} from './certificate-bundle.ts';
import { nextRenewalAt, resolveBundleAction } from './renewal.ts';
import type { TlsMaterial, TlsSource } from './tls-material.ts';

export const DEFAULT_SECRET_POLL_MS = 30_000;
/** Conflicting writes mean another replica just wrote: after this many in a row something else is wrong. */
const MAX_WRITE_ATTEMPTS = 5;
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'datakit-operator';

export interface SelfManagedNames {
  readonly namespace: string;
  readonly secretName: string;
  readonly serviceName: string;
  readonly webhookConfigName: string;
}

export interface SelfManagedTlsOptions {
  readonly secrets: SecretStore;
  readonly webhookConfigs: WebhookConfigClient;
  readonly names: SelfManagedNames;
  readonly logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** The clock for renewal decisions and certificate validity. */
  readonly now: () => Date;
  /** How often the Secret and the caBundle are checked; 0 disables the poll (tests call reconcile()). */
  readonly pollMs?: number;
}

export interface SelfManagedTls extends TlsSource {
  /** ca.crt as last read: the CA(s) a client of this operator must trust. */
  caPem(): string;
  /** One pass of what the poll does: read (create, renew) the Secret, sync caBundle, reload the pair. */
  reconcile(): Promise<void>;
}

/** Obtains the bundle (creating or renewing the Secret as needed) and starts polling; fails when it cannot. */
export async function openSelfManagedTls(
  options: SelfManagedTlsOptions,
): Promise<Result<SelfManagedTls, OperatorError>> {
  const { secrets, webhookConfigs, names, logger, now } = options;
  const secretRef = `${names.namespace}/${names.secretName}`;
  const requiredNames = servingSubjectAltNames(names.serviceName, names.namespace);
  const listeners = new Set<(material: TlsMaterial) => void>();
  let lastCaBundleProblem: string | undefined;

  const toWrite = (bundle: CertificateBundle): SecretToWrite => ({
    name: names.secretName,
    type: TLS_SECRET_TYPE,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    data: certificateBundleSecretData(bundle),
  });

  const apiFailure = (cause: unknown, action: string): OperatorError =>
    new OperatorError(ErrorCode.TLS, describeApiError(cause, action));

  const obtainBundle = async (): Promise<Result<CertificateBundle, OperatorError>> => {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      let stored;
      try {
        stored = await secrets.get(names.secretName);
      } catch (cause) {
        return err(apiFailure(cause, `reading Secret ${secretRef}`));
      }

      let next: CertificateBundle;
      let write: SecretWrite;
      if (stored === undefined) {
        next = issueCertificateBundle(requiredNames, now());
        try {
          write = await secrets.create(toWrite(next));
        } catch (cause) {
          return err(apiFailure(cause, `creating Secret ${secretRef}`));
        }
        if (write.written) {
          logger.info(
            { secret: secretRef },
            `created Secret ${secretRef} with a new CA and serving certificate`,
          );
          return ok(next);
        }
        logger.info({ secret: secretRef }, 'another replica created the TLS Secret first; reading it');
        continue;
      }

      const read = readCertificateBundle(names.secretName, stored.data);
      if (read.ok) {
        const decision = resolveBundleAction(
          bundleFacts(read.value),
          requiredNames,
          now(),
          SERVING_VALIDITY_MS,
        );
        if (decision.action === 'keep') return ok(read.value);
        logger.info(
          { secret: secretRef, action: decision.action },
          `renewing the certificate: ${decision.reason}`,
        );
        next =
          decision.action === 'rotate-ca'
            ? issueCertificateBundle(requiredNames, now(), read.value)
            : renewServingCertificate(read.value, requiredNames, now());
      } else {
        logger.warn({ secret: secretRef, err: read.error }, `${read.error.message}; replacing it`);
        next = issueCertificateBundle(requiredNames, now());
      }
      try {
        write = await secrets.replace(toWrite(next), stored.resourceVersion);
      } catch (cause) {
        return err(apiFailure(cause, `updating Secret ${secretRef}`));
      }
      if (write.written) {
        logger.info({ secret: secretRef }, `wrote the renewed certificate to Secret ${secretRef}`);
        return ok(next);
      }
      logger.info(
        { secret: secretRef },
        'another replica changed the TLS Secret first; using its certificate',
      );
    }
    return err(
      new OperatorError(
        ErrorCode.TLS,
        `Secret ${secretRef} changed under every one of ${MAX_WRITE_ATTEMPTS} attempts to write it; ` +
          'check that no other controller manages a Secret of that name (tls.secret_name)',
      ),
    );
  };

  const reportCaBundleProblem = (problem: string | undefined): void => {
    // Once per distinct problem: the poll would otherwise repeat the same warning every few seconds.
    if (problem !== undefined && problem !== lastCaBundleProblem) {
      logger.warn({ webhookConfiguration: names.webhookConfigName }, problem);
    }
    lastCaBundleProblem = problem;
  };

  const syncCaBundle = async (caPem: string): Promise<void> => {
    const configName = names.webhookConfigName;
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      try {
        const current = await webhookConfigs.readCaBundles(configName);
        if (current === undefined) {
          reportCaBundleProblem(
            `MutatingWebhookConfiguration ${configName} does not exist: the API server will not call this ` +
              'operator until it does (apply the manifest or chart; tls.webhook_config_name names it)',
          );
          return;
        }
        const patch = resolveCaBundlePatch(current, caPem);
        if (patch === undefined) {
          reportCaBundleProblem(undefined);
          return;
        }
        const result = await webhookConfigs.patch(configName, patch);
        if (result === 'patched') {
          reportCaBundleProblem(undefined);
          logger.info(
            { webhookConfiguration: configName, webhooks: patch.length - 1 },
            `wrote the CA to the caBundle of MutatingWebhookConfiguration ${configName}`,
          );
          return;
        }
        if (result === 'missing') continue;
      } catch (cause) {
        reportCaBundleProblem(
          describeApiError(cause, `updating the caBundle of MutatingWebhookConfiguration ${configName}`),
        );
        return;
      }
    }
    reportCaBundleProblem(
      `MutatingWebhookConfiguration ${configName} kept changing while its caBundle was written; retrying at the next check`,
    );
  };

  const first = await obtainBundle();
  if (!first.ok) return first;
  let bundle = first.value;
  await syncCaBundle(bundle.caCerts);
  logStatus(logger, secretRef, bundle, 'serving the self-managed certificate');

  const adopt = (next: CertificateBundle): void => {
    const changed = next.serving.cert !== bundle.serving.cert;
    bundle = next;
    if (!changed) return;
    logStatus(logger, secretRef, bundle, 'reloaded the certificate from the Secret');
    for (const listener of listeners) listener(bundle.serving);
  };

  let closed = false;
  let running: Promise<void> = Promise.resolve();
  const reconcileOnce = async (): Promise<void> => {
    if (closed) return;
    try {
      const obtained = await obtainBundle();
      if (!obtained.ok) {
        logger.error(
          { err: obtained.error, secret: secretRef },
          `${obtained.error.message}; keeping the current certificate`,
        );
        return;
      }
      if (closed) return;
      // caBundle first: the API server must trust a new CA before this replica serves a pair it signed.
      await syncCaBundle(obtained.value.caCerts);
      if (!closed) adopt(obtained.value);
    } catch (cause) {
      logger.error(
        { err: cause, secret: secretRef },
        'checking the self-managed certificate failed; keeping the current one',
      );
    }
  };
  const reconcile = (): Promise<void> => {
    running = running.then(reconcileOnce);
    return running;
  };

  const pollMs = options.pollMs ?? DEFAULT_SECRET_POLL_MS;
  const timer = pollMs > 0 ? setInterval(() => void reconcile(), pollMs) : undefined;
  timer?.unref();

  return ok({
    current: () => bundle.serving,
    caPem: () => bundle.caCerts,
    reconcile,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      listeners.clear();
    },
  });
}

function logStatus(
  logger: Pick<Logger, 'info'>,
  secretRef: string,
  bundle: CertificateBundle,
  message: string,
): void {
  const facts = bundleFacts(bundle);
  logger.info(
    {
      secret: secretRef,
      notAfter: facts.servingNotAfter.toISOString(),
      caNotAfter: facts.signingCaNotAfter.toISOString(),
      renewalDue: nextRenewalAt(facts).toISOString(),
      names: facts.servingNames,
    },
    message,
  );
}
