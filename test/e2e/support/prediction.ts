// What the pure core says the webhook does to a pod: the same handler the server runs, on the pod the
// API server hands to the webhook, with the patch applied as the API server applies it.

import { handleAdmission } from '../../../src/admission/handle.ts';
import type { AdmissionResult } from '../../../src/admission/types.ts';
import type { OperatorConfig } from '../../../src/config/types.ts';
import type { Pod, ServerVersion } from '../../../src/podspec/types.ts';
import { applyPatch, buildReview, decodePatch } from '../../support/admission.ts';

export interface Prediction {
  readonly pod: Pod;
  readonly result: AdmissionResult;
  /** As the response's `warnings` carry them (prefixed with the operator's name). */
  readonly warnings: readonly string[];
}

export function predictAdmission(
  webhookInput: Pod,
  namespace: string,
  config: OperatorConfig,
  serverVersion: ServerVersion | undefined,
): Prediction {
  const decision = handleAdmission(buildReview(webhookInput, { namespace }), { config, serverVersion });
  return {
    pod: applyPatch(webhookInput, decodePatch(decision.review)),
    result: decision.result,
    warnings: decision.review.response.warnings ?? [],
  };
}
