// The one place that decides what the webhook answers (ARCHITECTURE §4 rule 7): only pod CREATEs are
// mutated; the pod is always allowed; a failure anywhere admits it unchanged (fail open, all or nothing).

import { MAX_PATCH_BYTES } from '../mutation/limits.ts';
import { capWarnings } from '../mutation/warning-caps.ts';
import type { Pod } from '../podspec/types.ts';
import { decidePod, resolvePodNamespace, type DecideDeps } from './decide.ts';
import { buildPatch } from './patch.ts';
import { encodePatch, type EncodedPatch } from './patch-encoding.ts';
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
  const uid = request.uid;
  const name = podName(request);
  const dryRun = request.dryRun === true;
  // Built field by field, not with spreads: this runs on every pod creation in the cluster.
  const decide = (
    result: AdmissionResult,
    response: AdmissionResponse,
    outcomes: AdmissionDecision['outcomes'] = [],
    warnings: AdmissionDecision['warnings'] = [],
    error?: Error,
    patchPieces?: readonly string[],
  ): AdmissionDecision => {
    const decision: { -readonly [K in keyof AdmissionDecision]: AdmissionDecision[K] } = {
      uid,
      namespace,
      podName: name,
      dryRun,
      outcomes,
      warnings,
      result,
      review: review(response),
    };
    if (patchPieces !== undefined) decision.patchPieces = patchPieces;
    if (error !== undefined) decision.error = error;
    return decision;
  };

  if (!isPodCreate(request)) return decide('ignored', { uid, allowed: true });

  const failOpen = (error: Error) => {
    const warning = `injection failed, the pod was admitted unchanged: ${error.message}`;
    const response: AdmissionResponse = { uid, allowed: true, warnings: [WARNING_PREFIX + warning] };
    return decide('failed-open', response, [], [warning], error);
  };
  const decided = decidePod(pod as Pod, namespace, deps);
  if (decided.kind === 'failed') return failOpen(decided.error);
  const mutation = decided.mutation;
  const sent = capWarnings(mutation.warnings).map((warning) => WARNING_PREFIX + warning);
  let patch: EncodedPatch | undefined;
  try {
    // A malformed pod can make the diff throw too: that is a failure like any other (fail open).
    const operations = mutation.changed ? buildPatch(pod as Pod, mutation.pod) : [];
    patch = operations.length > 0 ? encodePatch(operations) : undefined;
  } catch (thrown) {
    return failOpen(thrown instanceof Error ? thrown : new Error(String(thrown)));
  }
  if (patch !== undefined && patch.base64.length > MAX_PATCH_BYTES) {
    return failOpen(
      new Error(
        `the patch would be ${patch.base64.length} bytes, more than the limit of ${MAX_PATCH_BYTES}: the ` +
          'API server could not store the pod (instrument fewer containers or log directories)',
      ),
    );
  }
  const response: AdmissionResponse =
    patch === undefined
      ? { uid, allowed: true }
      : { uid, allowed: true, patchType: 'JSONPatch', patch: patch.base64 };
  if (sent.length > 0) response.warnings = sent;
  return decide(
    patch === undefined ? 'unchanged' : 'mutated',
    response,
    mutation.outcomes,
    mutation.warnings,
    undefined,
    patch?.pieces,
  );
}
