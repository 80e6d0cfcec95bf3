// HTTP/2 has no request timeout of its own in node, a session may open and reset streams as fast as it
// can send frames (the "rapid reset" flood: every reset stream still cost us its headers and a handler),
// and one that drips a header block is never idle by node's measure. All three are bounded here, per
// stream and per session.

import { constants as http2Constants, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors/codes.ts';
import type { ClientErrorReason, ConnectionLimits } from './connection-limits.ts';
import type { HttpResponse } from '../http/http-types.ts';
import type { Http2StreamRequest } from './http2-exchange.ts';
import { stopReceivingAfterResponse } from '../http/body.ts';
import { sendError } from '../http/respond.ts';

/** After GOAWAY the streams still open get this long to finish before the session is destroyed. */
const GOAWAY_GRACE_MS = 1_000;

export type ClientErrorSink = (reason: ClientErrorReason) => void;

/**
 * Counts the streams the client resets before they are answered; past the limit within the window the
 * session gets GOAWAY(ENHANCE_YOUR_CALM) and is closed. Other sessions are not affected.
 */
export function guardHttp2Session(
  session: Http2Session,
  limits: ConnectionLimits,
  onClientError: ClientErrorSink,
  logger: Logger,
): void {
  let windowStart = 0;
  let resets = 0;
  let cut = false;
  const onReset = (): void => {
    // A session being destroyed (at the shutdown deadline, or after a cut) closes its streams itself.
    if (cut || session.destroyed) return;
    const now = performance.now();
    if (now - windowStart > limits.clientResetWindowMs) {
      windowStart = now;
      resets = 0;
    }
    resets += 1;
    if (resets <= limits.maxClientResets) return;
    cut = true;
    onClientError('rapid_reset');
    logger.warn(
      { resets, windowMs: limits.clientResetWindowMs },
      'HTTP/2 client reset too many streams: GOAWAY, session closed',
    );
    closeSession(session, http2Constants.NGHTTP2_ENHANCE_YOUR_CALM);
  };
  let openStreams = 0;
  const idle = watchIdleSession(session, limits, onClientError, logger);
  session.on('stream', (stream: ServerHttp2Stream) => {
    openStreams += 1;
    idle.streamOpened();
    // 'aborted' is not emitted for every stream reset before its handler ran; the close code always is.
    // The server resets streams only with NO_ERROR (after a 408 or 413), so an error code is the
    // client's reset (or a protocol error it caused). A stream answered before the client's reset
    // arrived closes with NO_ERROR: its request was complete and answered, like any other.
    stream.once('close', () => {
      openStreams -= 1;
      if (openStreams === 0) idle.allStreamsClosed();
      if (stream.rstCode !== undefined && stream.rstCode !== http2Constants.NGHTTP2_NO_ERROR) onReset();
    });
  });
}

/** GOAWAY with `code`, then the session is destroyed if the client does not close it within the grace. */
function closeSession(session: Http2Session, code: number): void {
  if (session.destroyed) return;
  session.goaway(code);
  session.close();
  setTimeout(() => {
    if (!session.destroyed) session.destroy();
  }, GOAWAY_GRACE_MS).unref();
}

/**
 * Node's idle timeout counts bytes, so a client that sends one header block a byte at a time is never
 * idle, and node does not tell us about a header block until it is complete. What we do see is streams:
 * a session gets `headersTimeoutMs` for its first one, and `idleTimeoutMs` with no stream open after
 * that, as Go's HTTP/2 server counts idleness. A fresh session that never completes a request counts as
 * a `request_timeout`; an idle one is closed quietly (the apiserver reconnects when it needs to).
 *
 * One timer per session, re-armed only when it fires: a stream that opens or closes just notes the
 * time, so a busy session costs no timer work per request.
 */
function watchIdleSession(
  session: Http2Session,
  limits: ConnectionLimits,
  onClientError: ClientErrorSink,
  logger: Logger,
): { streamOpened(): void; allStreamsClosed(): void } {
  let fresh = true;
  let busy = false;
  let quietSince = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number): void => {
    timer = setTimeout(check, ms);
    timer.unref();
  };
  const check = (): void => {
    if (session.destroyed || session.closed) return;
    const limitMs = fresh ? limits.headersTimeoutMs : limits.idleTimeoutMs;
    const quietMs = performance.now() - quietSince;
    if (busy || quietMs < limitMs) {
      arm(busy ? limitMs : limitMs - quietMs);
      return;
    }
    if (fresh) {
      onClientError('request_timeout');
      logger.warn({ timeoutMs: limitMs }, 'HTTP/2 session sent no complete request in time: GOAWAY, closed');
    } else {
      logger.debug({ timeoutMs: limitMs }, 'HTTP/2 session idle: GOAWAY, closed');
    }
    closeSession(session, http2Constants.NGHTTP2_NO_ERROR);
  };
  arm(limits.headersTimeoutMs);
  session.once('close', () => clearTimeout(timer));
  return {
    streamOpened: () => {
      fresh = false;
      busy = true;
    },
    allStreamsClosed: () => {
      busy = false;
      quietSince = performance.now();
    },
  };
}

interface OpenRequest {
  readonly request: Http2StreamRequest;
  readonly response: HttpResponse;
  readonly startedMs: number;
}

/**
 * An HTTP/2 request whose body has not fully arrived within the request timeout, and that nothing has
 * answered yet, is answered 408 and its stream is reset. HTTP/1.1 requests are node's own check
 * (`requestTimeout`), configured on the server.
 *
 * Open requests are checked every `checkIntervalMs` by one timer, as node checks HTTP/1.1 connections,
 * instead of a timer armed and cleared per request (about a microsecond of each admission in the bench
 * profile). A request is answered within one interval after its timeout. Every request has the same
 * timeout, so the oldest come first and a check stops at the first request still within it.
 */
export class Http2RequestTimeouts {
  /** Insertion order is arrival order. */
  readonly #open = new Set<OpenRequest>();
  readonly #timer: NodeJS.Timeout;
  readonly #limits: ConnectionLimits;
  readonly #onClientError: ClientErrorSink;

  constructor(limits: ConnectionLimits, onClientError: ClientErrorSink) {
    this.#limits = limits;
    this.#onClientError = onClientError;
    this.#timer = setInterval(() => this.#answerExpired(), limits.checkIntervalMs);
    this.#timer.unref();
  }

  /** Watches the request until its stream closes: after its response is written, or when it is reset. */
  watch(request: Http2StreamRequest, response: HttpResponse): void {
    const open: OpenRequest = { request, response, startedMs: performance.now() };
    this.#open.add(open);
    response.once('close', () => this.#open.delete(open));
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #answerExpired(): void {
    const startedBefore = performance.now() - this.#limits.requestTimeoutMs;
    for (const open of this.#open) {
      if (open.startedMs > startedBefore) return;
      this.#open.delete(open);
      const { request, response } = open;
      if (request.complete || response.headersSent) continue;
      this.#onClientError('request_timeout');
      stopReceivingAfterResponse(request, response);
      sendError(
        response,
        408,
        ErrorCode.HTTP_TIMEOUT,
        `the request did not arrive within ${this.#limits.requestTimeoutMs} ms`,
      );
    }
  }
}
