// POST /v1/webhooks/inject: translate HTTP to the admission core and back (ARCHITECTURE §4 rule 1).
// Size, content type and JSON syntax are checked here; everything about the review itself is the core's.

import type { Logger } from 'pino';
import { ErrorCode } from '../errors/codes.ts';
import { handleAdmission } from '../admission/handle.ts';
import { parseAdmissionReview } from '../admission/review.ts';
import { admissionReviewBody } from '../admission/review-text.ts';
import type { OperatorConfig } from '../config/types.ts';
import type { ServerVersion } from '../podspec/types.ts';
import type { TransferBudget } from '../http/transfer-budget.ts';
import { readBodyWithLimit, stopReceivingAfterResponse } from '../http/body.ts';
import { isJsonContentType } from '../http/content-type.ts';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../http/json-depth.ts';
import type { RouteHandler } from '../http/http-types.ts';
import { logAdmission } from './logger.ts';
import type { OperatorMetrics } from './metrics.ts';
import { sendError, sendJsonBodyWithin } from '../http/respond.ts';

/** SPEC §1: bodies over 3 MiB are refused (the API server caps objects at about 1.5 MiB anyway). */
export const MAX_ADMISSION_BODY_BYTES = 3 * 1024 * 1024;

/** A refused request is worth retrying at once: the budget frees as bodies and answers complete. */
const RETRY_SOON = { 'retry-after': '1' };

function busyMessage(budgetBytes: number): string {
  return (
    `the server already holds ${budgetBytes} bytes (its limit) of request bodies still arriving and ` +
    'answers its clients have not taken yet; retry shortly'
  );
}

export interface AdmissionEndpointDeps {
  /** Read once per request: a hot reload never changes the config under a request in flight. */
  readonly config: () => OperatorConfig;
  readonly serverVersion: () => ServerVersion | undefined;
  readonly metrics: OperatorMetrics;
  readonly logger: Logger;
  /** The main listener's budget for bodies arriving and answers not yet taken, shared by its endpoints. */
  readonly buffers: TransferBudget;
}

export function buildAdmissionEndpoint(deps: AdmissionEndpointDeps): RouteHandler {
  const { metrics, logger } = deps;
  return async (request, response) => {
    const contentType = request.headers['content-type'];
    if (!isJsonContentType(contentType)) {
      metrics.recordRejectedAdmission('unsupported_media_type');
      logger.warn({ contentType, code: ErrorCode.HTTP_CONTENT_TYPE }, 'admission request refused: not JSON');
      stopReceivingAfterResponse(request, response);
      sendError(
        response,
        415,
        ErrorCode.HTTP_CONTENT_TYPE,
        `Content-Type must be application/json, got ${contentType === undefined ? 'none' : JSON.stringify(contentType)}`,
      );
      return;
    }

    const body = await readBodyWithLimit(request, MAX_ADMISSION_BODY_BYTES, deps.buffers);
    if (body.kind === 'aborted') {
      logger.debug({ reason: body.reason }, 'admission request abandoned by the client');
      return;
    }
    if (body.kind === 'too-large') {
      metrics.recordRejectedAdmission('too_large');
      logger.warn(
        { limitBytes: body.limitBytes, code: ErrorCode.HTTP_BODY_TOO_LARGE },
        'admission request refused: body too large',
      );
      stopReceivingAfterResponse(request, response);
      sendError(
        response,
        413,
        ErrorCode.HTTP_BODY_TOO_LARGE,
        `request body is larger than ${body.limitBytes} bytes`,
      );
      return;
    }

    if (body.kind === 'busy') {
      stopReceivingAfterResponse(request, response);
      refuseBusy(body.budgetBytes);
      return;
    }
    if (exceedsJsonDepth(body.body)) {
      refuseBadRequest(
        ErrorCode.HTTP_JSON_TOO_DEEP,
        `request body nests more than ${MAX_JSON_DEPTH} levels deep`,
      );
      return;
    }
    let document: unknown;
    try {
      document = JSON.parse(body.body.toString('utf8'));
    } catch (error) {
      refuseBadRequest(
        ErrorCode.HTTP_JSON_MALFORMED,
        `request body is not valid JSON: ${(error as Error).message}`,
      );
      return;
    }
    const review = parseAdmissionReview(document);
    if (!review.ok) {
      refuseBadRequest(ErrorCode.REVIEW_INVALID, `request body is not an AdmissionReview: ${review.error}`);
      return;
    }

    const started = performance.now();
    const decision = handleAdmission(review.value, {
      config: deps.config(),
      serverVersion: deps.serverVersion(),
    });
    const answer = admissionReviewBody(decision.review, decision.patchPieces);
    if (!sendJsonBodyWithin(response, deps.buffers, 200, answer)) {
      // Decided, but the answer does not fit beside those the clients have not taken: it is dropped,
      // and the pod is not counted as mutated (the API server never saw the patch).
      refuseBusy(deps.buffers.limitBytes);
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    metrics.recordAdmission(decision, seconds);
    logAdmission(logger, decision, seconds);

    function refuseBusy(budgetBytes: number): void {
      metrics.recordRejectedAdmission('busy');
      logger.warn(
        { budgetBytes, code: ErrorCode.HTTP_BUSY },
        'admission request refused: the bodies and answers in flight already hold the whole budget',
      );
      sendError(response, 503, ErrorCode.HTTP_BUSY, busyMessage(budgetBytes), RETRY_SOON);
    }

    function refuseBadRequest(code: ErrorCode, reason: string): void {
      metrics.recordRejectedAdmission('bad_request');
      logger.warn({ reason, code }, 'admission request refused');
      sendError(response, 400, code, reason);
    }
  };
}
