// The one place that decides what the webhook answers (ARCHITECTURE §4 rule 7): only pod CREATEs are
// mutated; the pod is always allowed; a failure anywhere admits it unchanged (fail open, all or nothing).

import { MAX_PATCH_BYTES } from '../mutation/limits.ts';
import { capWarnings } from '../mutation/warning-caps.ts';
import type { Pod } from '../podspec/types.ts';
import { decidePod, resolvePodNamespace, type DecideDeps } from './decide.ts';
import { buildPatch, encodePatch } from './patch.ts';
import { ADMISSION_API_VERSION } from './review.ts';
import type {
  AdmissionDecision,
  AdmissionRequest,
  AdmissionResponse,
  AdmissionResult,
  AdmissionReviewRequest,
} from './types.ts';

export type AdmissionDeps = DecideDeps;

/** Prefix so that kubectl users know which webhook a warning comes from. */
export const WARNING_PREFIX = 'datakit-operator: ';

function isPodCreate(request: AdmissionRequest): boolean {
  const resource = request.resource;
  return (
    request.operation === 'CREATE' &&
    resource?.group === '' &&
    resource.version === 'v1' &&
    resource.resource === 'pods' &&
    (request.subResource ?? '') === '' &&
    typeof request.object === 'object' &&
    request.object !== null
  );
}

function podName(request: AdmissionRequest): string {
  const metadata = (request.object as Pod | undefined)?.metadata;
  return metadata?.name || request.name || metadata?.generateName || '';
}

function review(response: AdmissionResponse): AdmissionDecision['review'] {
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}

export function handleAdmission(
  reviewRequest: AdmissionReviewRequest,
  deps: AdmissionDeps,
): AdmissionDecision {
  const request = reviewRequest.request;
  const pod = request.object as Pod | undefined;
  const namespace = resolvePodNamespace(pod, request.namespace ?? '');
  const base = { uid: request.uid, namespace, podName: podName(request), dryRun: request.dryRun === true };
  const decide = (
    result: AdmissionResult,
    response: Omit<AdmissionResponse, 'uid' | 'allowed'>,
    extra = {},
  ) => ({
    ...base,
    outcomes: [],
    warnings: [],
    ...extra,
    result,
    review: review({ uid: request.uid, allowed: true, ...response }),
  });

  if (!isPodCreate(request)) return decide('ignored', {});

  const failOpen = (error: Error) => {
    const warning = `injection failed, the pod was admitted unchanged: ${error.message}`;
    return decide('failed-open', { warnings: [WARNING_PREFIX + warning] }, { error, warnings: [warning] });
  };
  const decided = decidePod(pod as Pod, namespace, deps);
  if (decided.kind === 'failed') return failOpen(decided.error);
  const mutation = decided.mutation;
  const extra = { outcomes: mutation.outcomes, warnings: mutation.warnings };
  const sent = capWarnings(mutation.warnings).map((warning) => WARNING_PREFIX + warning);
  const warningField = sent.length > 0 ? { warnings: sent } : {};
  let patch: string | undefined;
  try {
    // A malformed pod can make the diff throw too: that is a failure like any other (fail open).
    const operations = mutation.changed ? buildPatch(pod as Pod, mutation.pod) : [];
    patch = operations.length > 0 ? encodePatch(operations) : undefined;
  } catch (thrown) {
    return failOpen(thrown instanceof Error ? thrown : new Error(String(thrown)));
  }
  if (patch !== undefined && patch.length > MAX_PATCH_BYTES) {
    return failOpen(
      new Error(
        `the patch would be ${patch.length} bytes, more than the limit of ${MAX_PATCH_BYTES}: the API server ` +
          'could not store the pod (instrument fewer containers or log directories)',
      ),
    );
  }
  if (patch === undefined) return decide('unchanged', warningField, extra);
  return decide('mutated', { patchType: 'JSONPatch', patch, ...warningField }, extra);
}
