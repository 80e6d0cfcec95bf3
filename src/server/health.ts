// The health listener: plain HTTP for the kubelet's probes and for Prometheus (SPEC §1). Liveness is
// "the process answers"; readiness is "the listeners are up and we are not shutting down", so that a
// terminating pod leaves the Service endpoints before its listeners stop.

import { ErrorCode } from '../errors/codes.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connection-limits.ts';
import { answerHttp1ClientError } from './http1-client-errors.ts';
import { applyHttp1Limits } from './http1-limits.ts';
import type { ClientErrorSink } from './http2-guards.ts';
import { disableNagle, listenOn } from './listen.ts';
import type { Logger } from 'pino';
import type { OperatorMetrics } from './metrics.ts';
import { sendJson } from '../http/respond.ts';
import { buildRouter, type Route } from '../http/router.ts';
import { metricsRoute } from './routes.ts';

export const HEALTHZ_PATH = '/healthz';
export const READYZ_PATH = '/readyz';

export interface HealthListener {
  readonly server: Server;
  listen(host: string | undefined, port: number): Promise<AddressInfo>;
  close(): Promise<void>;
}

export function buildHealthRoutes(isReady: () => boolean, metrics: OperatorMetrics): Route[] {
  return [
    {
      path: HEALTHZ_PATH,
      methods: ['GET'],
      handle: (_request, response) => sendJson(response, 200, { status: 'ok' }),
    },
    {
      path: READYZ_PATH,
      methods: ['GET'],
      handle: (_request, response) =>
        isReady()
          ? sendJson(response, 200, { status: 'ready' })
          : sendJson(response, 503, { status: 'not ready', code: ErrorCode.NOT_READY }),
    },
    metricsRoute(metrics),
  ];
}

export function buildHealthListener(
  routes: readonly Route[],
  logger: Logger,
  options: { readonly limits?: ConnectionLimits; readonly onClientError?: ClientErrorSink } = {},
): HealthListener {
  const server = createServer(buildRouter(routes, logger));
  disableNagle(server);
  applyHttp1Limits(server, options.limits ?? DEFAULT_CONNECTION_LIMITS);
  server.on('clientError', (error, socket) => {
    logger.debug({ err: error }, 'health listener client error');
    const reason = answerHttp1ClientError(error, socket as Socket);
    if (reason !== undefined) options.onClientError?.(reason);
  });
  return {
    server,
    listen(host, port) {
      return listenOn(server, host, port);
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
