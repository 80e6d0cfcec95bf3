// node's own HTTP/1.1 request timeouts, for both listeners. The HTTP/1.1 fallback of an HTTP/2 server
// has them too, but checks them only every 30 s by default: a client dripping a byte a second would
// hold its socket for most of a minute. The check interval is read when the server starts listening.

import type { ConnectionLimits } from './connection-limits.ts';

interface Http1TimeoutSettings {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval?: number;
}

export function applyHttp1Limits(server: object, limits: ConnectionLimits): void {
  const settings = server as Http1TimeoutSettings;
  settings.headersTimeout = limits.headersTimeoutMs;
  settings.requestTimeout = limits.requestTimeoutMs;
  settings.connectionsCheckingInterval = limits.checkIntervalMs;
}
