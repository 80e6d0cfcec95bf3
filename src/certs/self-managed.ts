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
import { ok, type Result } from '../errors/result.ts';
import type { SecretStore } from '../kube/secrets.ts';
import type { WebhookConfigClient } from '../kube/webhook-config.ts';
import { buildCaBundleSync } from './ca-bundle-sync.ts';
import { bundleFacts, servingSubjectAltNames, type CertificateBundle } from './certificate-bundle.ts';
import { nextRenewalAt } from './renewal.ts';
import { ReloadableValue } from '../reload/reloadable.ts';
import type { TlsMaterial, TlsSource } from './tls-material.ts';
import { obtainCertificateBundle } from './tls-secret.ts';

export const DEFAULT_SECRET_POLL_MS = 30_000;

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
export async function openSelfManagedTls(options: SelfManagedTlsOptions): Promise<Result<SelfManagedTls>> {
  const { names, logger } = options;
  const secretRef = `${names.namespace}/${names.secretName}`;
  const obtainBundle = (): Promise<Result<CertificateBundle>> =>
    obtainCertificateBundle({
      secrets: options.secrets,
      namespace: names.namespace,
      secretName: names.secretName,
      requiredNames: servingSubjectAltNames(names.serviceName, names.namespace),
      logger,
      now: options.now,
    });
  const caBundle = buildCaBundleSync({
    webhookConfigs: options.webhookConfigs,
    webhookConfigName: names.webhookConfigName,
    logger,
  });

  const first = await obtainBundle();
  if (!first.ok) return first;
  let bundle = first.value;
  await caBundle.sync(bundle.caCerts);
  logStatus(logger, secretRef, bundle, 'serving the self-managed certificate');

  let closed = false;
  const serving = new ReloadableValue<TlsMaterial>(bundle.serving, () => {
    closed = true;
    if (timer !== undefined) clearInterval(timer);
  });

  const adopt = (next: CertificateBundle): void => {
    const changed = next.serving.cert !== bundle.serving.cert;
    bundle = next;
    if (!changed) return;
    logStatus(logger, secretRef, bundle, 'reloaded the certificate from the Secret');
    serving.replace(bundle.serving);
  };

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
      await caBundle.sync(obtained.value.caCerts);
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
    current: () => serving.current(),
    caPem: () => bundle.caCerts,
    reconcile,
    onChange: (listener) => serving.onChange(listener),
    close: () => serving.close(),
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
