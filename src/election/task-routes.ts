// The task election's endpoint (SPEC §10.2): `POST /v1/datakit/election`, answered with
// `{"allowed_inputs": [...]}` or a 400 in text/plain with upstream's messages. Translation only. The body
// is upstream's plain text, so a refusal's code goes only to the log.

import type { Logger } from 'pino';
import { ErrorCode } from '../errors/codes.ts';
import type { TransferBudget } from '../http/transfer-budget.ts';
import { readBodyWithLimit, stopReceivingAfterResponse } from '../http/body.ts';
import { sendJsonBodyWithin, sendText } from '../http/respond.ts';
import type { Route } from '../http/router.ts';
import { MAX_PARAMETER_BYTES, TASK_ELECTION_PATH } from './constants.ts';
import type { ElectionMetrics } from './metrics.ts';
import type { TaskElection } from './task-election.ts';
import { parseTaskElectionRequest } from './task-request.ts';

/** A poll lists a DataKit's election inputs: a few KiB. Anything near this is not a DataKit. */
export const MAX_TASK_ELECTION_BODY_BYTES = 1024 * 1024;

export interface TaskRoutesDeps {
  readonly election: TaskElection;
  readonly metrics: ElectionMetrics;
  readonly logger: Logger;
  /** The main listener's budget for bodies arriving and answers not yet taken, shared by its endpoints. */
  readonly buffers: TransferBudget;
}

export function buildTaskElectionRoutes(deps: TaskRoutesDeps): Route[] {
  return [
    {
      path: TASK_ELECTION_PATH,
      methods: ['POST'],
      handle: async (request, response) => {
        const body = await readBodyWithLimit(request, MAX_TASK_ELECTION_BODY_BYTES, deps.buffers);
        if (body.kind === 'aborted') return;
        if (body.kind === 'busy') {
          // DataKit polls again at its next interval (4 s) and keeps what it runs until then.
          stopReceivingAfterResponse(request, response);
          response.setHeader('retry-after', '1');
          refuseBusy(body.budgetBytes);
          return;
        }
        if (body.kind === 'too-large') {
          stopReceivingAfterResponse(request, response);
          refuse(
            413,
            ErrorCode.HTTP_BODY_TOO_LARGE,
            `Request could not be decoded: the body is larger than ${body.limitBytes} bytes`,
          );
          return;
        }
        const parsed = parseTaskElectionRequest(body.body.toString('utf8'));
        if (!parsed.ok) {
          refuse(400, ErrorCode.ELECTION_REQUEST_INVALID, `Request could not be decoded: ${parsed.error}`);
          return;
        }
        if (parsed.value.id === '') {
          refuse(
            400,
            ErrorCode.ELECTION_REQUEST_INVALID,
            'Invalid election parameter: id cannot be empty; DataKit sends its host name as id',
          );
          return;
        }
        if (Buffer.byteLength(parsed.value.id, 'utf8') > MAX_PARAMETER_BYTES.id) {
          refuse(
            400,
            ErrorCode.ELECTION_REQUEST_INVALID,
            `Invalid election parameter: id is longer than ${MAX_PARAMETER_BYTES.id} bytes; DataKit sends its host name as id`,
          );
          return;
        }
        const answer = deps.election.poll(parsed.value);
        if (answer.kind === 'refused') {
          refuse(400, ErrorCode.ELECTION_REQUEST_INVALID, answer.message);
          return;
        }
        // The answer of a DataKit with many inputs is large, and a client that never reads keeps it.
        if (
          !sendJsonBodyWithin(response, deps.buffers, 200, JSON.stringify({ allowed_inputs: answer.inputs }))
        ) {
          refuseBusy(deps.buffers.limitBytes);
          return;
        }
        deps.metrics.recordRequest('task', 'success');

        function refuseBusy(budgetBytes: number): void {
          response.setHeader('retry-after', '1');
          refuse(
            503,
            ErrorCode.HTTP_BUSY,
            `Server busy: it already holds ${budgetBytes} bytes of request bodies and answers in flight; retry shortly`,
          );
        }

        function refuse(status: number, code: ErrorCode, message: string): void {
          deps.metrics.recordRequest('task', 'error');
          deps.logger.warn({ status, code, reason: message }, 'task election request refused');
          // Like Go's http.Error, which upstream used: text/plain, one line.
          sendText(response, status, message + '\n');
        }
      },
    },
  ];
}
