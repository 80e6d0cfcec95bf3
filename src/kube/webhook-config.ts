// The operator's MutatingWebhookConfiguration (SPEC §11, §12): read the `caBundle` of each webhook and
// write a new one. The write is a JSON Patch that touches only the caBundle fields (no typed round-trip of
// the whole object, which could drop fields this client does not know) and carries the resourceVersion it
// was computed from, which the API server treats as a precondition: a configuration changed in between
// (another replica, `helm upgrade`) answers 409 and is reported as a conflict, never half-applied.

import { AdmissionregistrationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { apiStatusOf, bounded, HTTP_CONFLICT, HTTP_NOT_FOUND } from './api-status.ts';

export interface WebhookCaBundles {
  readonly resourceVersion: string;
  /** In the configuration's order; `caBundle` is base64 (the wire form), undefined when unset. */
  readonly webhooks: readonly { readonly name: string; readonly caBundle: string | undefined }[];
}

export interface JsonPatchOperation {
  readonly op: 'add' | 'replace';
  readonly path: string;
  readonly value: string;
}

export type WebhookPatchResult = 'patched' | 'conflict' | 'missing';

export interface WebhookConfigClient {
  /** Undefined when no MutatingWebhookConfiguration of that name exists. */
  readCaBundles(name: string): Promise<WebhookCaBundles | undefined>;
  patch(name: string, operations: readonly JsonPatchOperation[]): Promise<WebhookPatchResult>;
}

export function buildWebhookConfigClient(config: KubeConfig): WebhookConfigClient {
  const api = config.makeApiClient(AdmissionregistrationV1Api);
  return {
    async readCaBundles(name) {
      try {
        const found = await bounded(
          api.readMutatingWebhookConfiguration({ name }),
          `read MutatingWebhookConfiguration ${name}`,
        );
        return {
          resourceVersion: found.metadata?.resourceVersion ?? '',
          webhooks: (found.webhooks ?? []).map((webhook) => ({
            name: webhook.name,
            caBundle: webhook.clientConfig.caBundle,
          })),
        };
      } catch (error) {
        if (apiStatusOf(error) === HTTP_NOT_FOUND) return undefined;
        throw error;
      }
    },
    async patch(name, operations) {
      try {
        // client-node sends this request body as application/json-patch+json (its first choice for PATCH).
        await bounded(
          api.patchMutatingWebhookConfiguration({ name, body: operations }),
          `patch MutatingWebhookConfiguration ${name}`,
        );
        return 'patched';
      } catch (error) {
        const status = apiStatusOf(error);
        if (status === HTTP_CONFLICT) return 'conflict';
        if (status === HTTP_NOT_FOUND) return 'missing';
        throw error;
      }
    },
  };
}
