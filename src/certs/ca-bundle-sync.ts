// Keeps the caBundle of every webhook in the operator's MutatingWebhookConfiguration equal to the CA text
// of the TLS Secret (SPEC §11), writing only when it differs (so replicas polling in a steady state never
// write). A problem (configuration missing, RBAC, API unreachable) is logged once, not at every poll, and
// retried at the next one; it never stops the operator from serving.

import type { Logger } from 'pino';
import { describeApiError } from '../kube/api-status.ts';
import type { WebhookConfigClient } from '../kube/webhook-config.ts';
import { resolveCaBundlePatch } from './ca-bundle.ts';

/** A patch built from a read that another writer overtook is retried this many times. */
const MAX_PATCH_ATTEMPTS = 5;

export interface CaBundleSyncDeps {
  readonly webhookConfigs: WebhookConfigClient;
  readonly webhookConfigName: string;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

export interface CaBundleSync {
  /** Makes every caBundle equal `caPem`; resolves when done or given up until the next call. */
  sync(caPem: string): Promise<void>;
}

export function buildCaBundleSync(deps: CaBundleSyncDeps): CaBundleSync {
  const { webhookConfigs, webhookConfigName: name, logger } = deps;
  let lastProblem: string | undefined;
  const report = (problem: string | undefined): void => {
    if (problem !== undefined && problem !== lastProblem)
      logger.warn({ webhookConfiguration: name }, problem);
    lastProblem = problem;
  };

  const sync = async (caPem: string): Promise<void> => {
    for (let attempt = 1; attempt <= MAX_PATCH_ATTEMPTS; attempt++) {
      try {
        const current = await webhookConfigs.readCaBundles(name);
        if (current === undefined) {
          return report(
            `MutatingWebhookConfiguration ${name} does not exist: the API server will not call this operator ` +
              'until it does (apply the manifest or chart; tls.webhook_config_name names it)',
          );
        }
        const patch = resolveCaBundlePatch(current, caPem);
        if (patch === undefined) return report(undefined);
        const result = await webhookConfigs.patch(name, patch);
        if (result === 'patched') {
          logger.info(
            { webhookConfiguration: name, webhooks: patch.length - 1 },
            `wrote the CA to the caBundle of MutatingWebhookConfiguration ${name}`,
          );
          return report(undefined);
        }
      } catch (cause) {
        return report(
          describeApiError(cause, `updating the caBundle of MutatingWebhookConfiguration ${name}`),
        );
      }
    }
    report(
      `MutatingWebhookConfiguration ${name} kept changing while its caBundle was written; retrying at the next check`,
    );
  };

  return { sync };
}
