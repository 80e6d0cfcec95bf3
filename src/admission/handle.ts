// The one place that decides what the webhook answers (ARCHITECTURE §4 rule 7): only pod CREATEs are
// mutated; the pod is always allowed; a failure anywhere admits it unchanged (fail open, all or nothing).

import type { OperatorConfig } from '../config/types.ts';
import { mutatePod } from '../mutation/mutate-pod.ts';
import { INJECTORS } from '../mutation/registry.ts';
import type { Injector, ServerVersion } from '../mutation/types.ts';
import type { Pod } from '../podspec/types.ts';
import { buildPatch, encodePatch } from './patch.ts';
import { ADMISSION_API_VERSION } from './review.ts';
import type {
  AdmissionDecision,
  AdmissionRequest,
  AdmissionResponse,
  AdmissionResult,
  AdmissionReviewRequest,
} from './types.ts';

export interface AdmissionDeps {
  readonly config: OperatorConfig;
  readonly serverVersion: ServerVersion | undefined;
  /** Defaults to the registry; tests may pass their own. */
  readonly injectors?: readonly Injector[];
}

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

function errorOf(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

export function handleAdmission(
  reviewRequest: AdmissionReviewRequest,
  deps: AdmissionDeps,
): AdmissionDecision {
  const request = reviewRequest.request;
  const pod = request.object as Pod | undefined;
  const namespace = pod?.metadata?.namespace || request.namespace || '';
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

  try {
    const ctx = { namespace, config: deps.config, serverVersion: deps.serverVersion };
    const mutation = mutatePod(pod as Pod, ctx, deps.injectors ?? INJECTORS);
    const warnings = mutation.warnings.map((warning) => WARNING_PREFIX + warning);
    const extra = { outcomes: mutation.outcomes, warnings: mutation.warnings };
    const warningField = warnings.length > 0 ? { warnings } : {};
    const operations = mutation.changed ? buildPatch(pod, mutation.pod) : [];
    if (operations.length === 0) return decide('unchanged', warningField, extra);
    return decide(
      'mutated',
      { patchType: 'JSONPatch', patch: encodePatch(operations), ...warningField },
      extra,
    );
  } catch (thrown) {
    const error = errorOf(thrown);
    const warning = `injection failed, the pod was admitted unchanged: ${error.message}`;
    return decide('failed-open', { warnings: [WARNING_PREFIX + warning] }, { error, warnings: [warning] });
  }
}
