// What one client may cost the listeners (SPEC §15): how long it may take to send a request, how many
// streams it may open at once, how often it may reset them. Any pod in the cluster can reach the main
// listener, so a client that drips bytes or floods resets must be cut while everyone else is served.

export interface ConnectionLimits {
  /** HTTP/1.1: the request line and headers must arrive within this (else 408 and the connection closes). */
  readonly headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this (408; HTTP/2: the stream is reset). */
  readonly requestTimeoutMs: number;
  /** How often HTTP/1.1 connections are checked against the two timeouts (node's own check). */
  readonly checkIntervalMs: number;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: streams one session may have open at once. */
  readonly maxConcurrentStreams: number;
  /** An HTTP/2 session whose client resets more streams than this within the window gets GOAWAY. */
  readonly maxClientResets: number;
  readonly clientResetWindowMs: number;
  /**
   * A connection that sends nothing for this long is closed; an HTTP/2 session is also closed (GOAWAY) when
   * it has had no open stream for this long, however many bytes it sends — a client that drips one header
   * block forever opens no stream, so this is what cuts it (a new session gets `headersTimeoutMs` for its
   * first stream).
   */
  readonly idleTimeoutMs: number;
  /**
   * Bytes the main listener holds for its clients, over every connection and stream together: request
   * bodies while they arrive, answers until they are written (http/transfer-budget.ts). A request that
   * does not fit is answered 503. An answer not taken within `requestTimeoutMs` is cut.
   */
  readonly maxBufferedBytes: number;
}

/**
 * The kube-apiserver sends a webhook request of at most ~1.5 MiB at once and waits at most 30 s for
 * the answer (10 s by default): a request still arriving after 15 s can no longer be answered in time.
 * It opens streams as pods are created and resets one only when its own timeout passes, far from 100
 * resets in 10 s. It keeps idle connections open between requests and reconnects when one was closed.
 * 32 MiB in flight is some 1,600 ordinary pods (20 KiB) or 20 of the largest an API server sends,
 * arriving at the same moment. Under floods that OOM-killed the operator without it (unfinished 3 MiB
 * bodies on 1,024 HTTP/2 streams or 300 HTTP/1.1 connections; 1,024 100-container pods whose answers
 * were never read) it peaked at 100–110 MB of the chart's 256 MiB limit; with 64 MiB, at 234 MB. V8
 * sizes its heap from that limit, so it would not collect in time on its own.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  checkIntervalMs: 1_000,
  maxConcurrentStreams: 128,
  maxClientResets: 100,
  clientResetWindowMs: 10_000,
  idleTimeoutMs: 120_000,
  maxBufferedBytes: 32 * 1024 * 1024,
};

/** Why a client was answered with an error or cut by the listener itself (a metric label). */
export type ClientErrorReason = 'bad_request' | 'headers_too_large' | 'request_timeout' | 'rapid_reset';

export const CLIENT_ERROR_REASONS: readonly ClientErrorReason[] = [
  'bad_request',
  'headers_too_large',
  'request_timeout',
  'rapid_reset',
];
