// The two functions compared per corpus item, both from request text to response body:
// - ours: what the webhook does between the body and the answer (the nesting check on the raw bytes,
//   JSON.parse, the AdmissionReview check, handleAdmission, the body of the review it returns, bytes
//   when it holds a patch; the request text is encoded to bytes first, which the server gets from the
//   socket for free);
// - baseline: JSON.stringify(JSON.parse(text)), the least any webhook that reads the review must pay.

import { handleAdmission, type AdmissionDeps } from '../../src/admission/handle.ts';
import { parseAdmissionReview } from '../../src/admission/review.ts';
import { admissionReviewBody } from '../../src/admission/review-text.ts';
import { parseConfigText } from '../../src/config/load.ts';
import { detailsOf } from '../../src/errors/problem.ts';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../../src/http/json-depth.ts';
import type { AdmissionDecision } from '../../src/admission/types.ts';
import { configDocument, type ConfigName } from '../corpus/configs.ts';

export type DecideCall = (text: string) => string | Buffer;

/** The config as the operator would load it from a file holding `configDocument(name)`. */
export function benchDeps(name: ConfigName): AdmissionDeps {
  const loaded = parseConfigText(JSON.stringify(configDocument(name)), 'bench', {});
  if (!loaded.ok)
    throw new Error(`bench config ${name}: ${loaded.error.message} ${detailsOf(loaded.error).join('; ')}`);
  return { config: loaded.value.config, serverVersion: undefined };
}

/** What the last call decided, kept outside the timed path for the report. */
export interface LastDecision {
  decision?: AdmissionDecision;
  refused?: string;
}

export function oursCall(deps: AdmissionDeps, last: LastDecision): DecideCall {
  return (text) => {
    if (exceedsJsonDepth(Buffer.from(text))) {
      last.refused = `request body nests more than ${MAX_JSON_DEPTH} levels deep`;
      return JSON.stringify({ error: last.refused });
    }
    const review = parseAdmissionReview(JSON.parse(text));
    if (!review.ok) {
      last.refused = review.error;
      return JSON.stringify({ error: review.error });
    }
    const decision = handleAdmission(review.value, deps);
    last.decision = decision;
    return admissionReviewBody(decision.review, decision.patchPieces);
  };
}

export const baselineCall: DecideCall = (text) => JSON.stringify(JSON.parse(text));

/** One line on what the operator answered: the reader checks that the item exercised what it claims to. */
export function describeOutcome(last: LastDecision): string {
  if (last.refused !== undefined) return `400: ${last.refused}`;
  const decision = last.decision;
  if (decision === undefined) return 'no decision';
  const patch = decision.review.response.patch;
  const parts: string[] = [decision.result];
  if (patch !== undefined) parts.push(`patch ${(patch.length / 1024).toFixed(1)} KiB b64`);
  if (decision.warnings.length > 0) parts.push(`${decision.warnings.length} warn`);
  if (decision.error) parts.push(decision.error.message.slice(0, 60));
  return parts.join(', ');
}
