// The central election's HTTP endpoints (SPEC §10.1). Translation only: query → coordinator → envelope.

import type { HttpRequest, HttpResponse } from '../http/http-types.ts';
import { sendJson } from '../http/respond.ts';
import type { Route } from '../http/router.ts';
import { CAMPAIGN_PATH, HEARTBEAT_PATH, STATUS_PATH } from './constants.ts';
import type { CentralCoordinator, ElectionQuery, ElectionTiming } from './central-coordinator.ts';
import type { ElectionOperation } from './central-decision.ts';
import {
  buildElectionReply,
  buildMissingParametersReply,
  buildOversizedParameterReply,
  buildStatusReply,
  findOversizedParameter,
} from './central-response.ts';
import type { ElectionMetrics } from './metrics.ts';

export interface CentralRoutesDeps {
  readonly coordinator: CentralCoordinator;
  readonly timing: () => ElectionTiming;
  readonly metrics: ElectionMetrics;
}

export function buildCentralElectionRoutes(deps: CentralRoutesDeps): Route[] {
  return [
    {
      path: CAMPAIGN_PATH,
      methods: ['POST'],
      handle: (request, response) => elect('campaign', request, response),
    },
    {
      path: HEARTBEAT_PATH,
      methods: ['POST'],
      handle: (request, response) => elect('heartbeat', request, response),
    },
    {
      path: STATUS_PATH,
      methods: ['GET'],
      handle: async (_request, response) => {
        const reply = buildStatusReply(await deps.coordinator.status());
        deps.metrics.recordRequest('status', reply.body.content.status);
        sendJson(response, reply.httpStatus, reply.body);
      },
    },
  ];

  async function elect(
    operation: ElectionOperation,
    request: HttpRequest,
    response: HttpResponse,
  ): Promise<void> {
    discardBody(request);
    const query = readElectionQuery(request.url);
    const timing = deps.timing();
    const oversized = findOversizedParameter(query);
    const reply =
      oversized !== undefined
        ? buildOversizedParameterReply(oversized, query, timing)
        : query.token === '' || query.id === ''
          ? buildMissingParametersReply(query, timing)
          : buildElectionReply(await deps.coordinator[operation](query), query, timing);
    deps.metrics.recordRequest(operation, reply.body.content.status);
    sendJson(response, reply.httpStatus, reply.body);
  }
}

/** `token`, `namespace`, `id` from the query string; a missing one is empty, a repeated one counts once. */
export function readElectionQuery(url: string | undefined): ElectionQuery {
  const raw = url ?? '';
  const queryStart = raw.indexOf('?');
  const params = new URLSearchParams(queryStart < 0 ? '' : raw.slice(queryStart + 1));
  return {
    token: params.get('token') ?? '',
    namespace: params.get('namespace') ?? '',
    id: params.get('id') ?? '',
  };
}

/** DataKit sends its parameters in the query; whatever body comes is read and dropped to keep the connection usable. */
function discardBody(request: HttpRequest): void {
  request.on('error', () => {});
  request.resume();
}
