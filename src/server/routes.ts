// The main listener's endpoints (SPEC §1). Routing only: each row names a path, its methods and the
// handler; the admission logic lives in the core, reached through admission-endpoint.ts.

import type { Route } from '../http/router.ts';
import type { RouteHandler } from '../http/http-types.ts';
import type { OperatorMetrics } from './metrics.ts';
import { sendJson, sendText } from '../http/respond.ts';

export const ADMISSION_PATH = '/v1/webhooks/inject';
export const PING_PATH = '/ping';
export const V1_PING_PATH = '/v1/ping';
export const METRICS_PATH = '/metrics';

export interface MainRoutesDeps {
  readonly admission: RouteHandler;
  readonly metrics: OperatorMetrics;
  /** More rows for the main listener: the election API (SPEC §10) joins here. */
  readonly extraRoutes?: readonly Route[];
}

export function buildMainRoutes(deps: MainRoutesDeps): Route[] {
  return [
    { path: ADMISSION_PATH, methods: ['POST'], handle: deps.admission },
    // DataKit's task election probes `HEAD /ping` to pick its protocol (SPEC §10.2).
    {
      path: PING_PATH,
      methods: ['GET', 'HEAD'],
      handle: (_request, response) => sendText(response, 200, 'OK\n'),
    },
    {
      path: V1_PING_PATH,
      methods: ['GET'],
      handle: (_request, response) => sendJson(response, 200, { status: 'ok' }),
    },
    metricsRoute(deps.metrics),
    ...(deps.extraRoutes ?? []),
  ];
}

/** `GET /metrics`, served by both listeners. */
export function metricsRoute(metrics: OperatorMetrics): Route {
  return {
    path: METRICS_PATH,
    methods: ['GET'],
    handle: async (_request, response) => {
      const { contentType, body } = await metrics.render();
      sendText(response, 200, body, contentType);
    },
  };
}
