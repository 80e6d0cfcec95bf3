// Which caBundle fields of the webhook configuration must change so that the API server trusts the
// operator's CA (SPEC §11). Pure: given what is there and what should be, the JSON Patch, or nothing when
// every webhook already has it (so that replicas polling in a steady state never write).

import type { JsonPatchOperation, WebhookCaBundles } from '../kube/webhook-config.ts';

const RESOURCE_VERSION_PATH = '/metadata/resourceVersion';

/**
 * `caPem` is the CA text as stored in the Secret; caBundle carries it base64-encoded. The patch starts by
 * restating the resourceVersion it was computed from: the API server then refuses it (409) if the
 * configuration changed in between, instead of writing into a webhook list that moved.
 */
export function resolveCaBundlePatch(
  current: WebhookCaBundles,
  caPem: string,
): JsonPatchOperation[] | undefined {
  const wanted = Buffer.from(caPem, 'utf8').toString('base64');
  const operations: JsonPatchOperation[] = [];
  current.webhooks.forEach((webhook, index) => {
    if (webhook.caBundle !== wanted) {
      operations.push({ op: 'add', path: `/webhooks/${index}/clientConfig/caBundle`, value: wanted });
    }
  });
  if (operations.length === 0) return undefined;
  return [{ op: 'replace', path: RESOURCE_VERSION_PATH, value: current.resourceVersion }, ...operations];
}
