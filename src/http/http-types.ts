// The parts of a request and a response that the routes use, shared by node's HTTP/1.1 objects
// (`IncomingMessage`/`ServerResponse`) and the main listener's HTTP/2 stream exchange
// (server/http2-exchange.ts), so that one route works on both listeners and both protocols.

import type { IncomingHttpHeaders } from 'node:http';

/** The request events the routes listen to: the body, its end, and the ways a client goes away. */
export interface HttpRequestEvents {
  data: (chunk: Buffer) => void;
  end: () => void;
  aborted: () => void;
  close: () => void;
  error: (error: Error) => void;
}

export interface HttpRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly httpVersion: string;
  on<E extends keyof HttpRequestEvents>(event: E, listener: HttpRequestEvents[E]): unknown;
  off<E extends keyof HttpRequestEvents>(event: E, listener: HttpRequestEvents[E]): unknown;
  /** Reads (and drops) whatever of the body nobody listens to. */
  resume(): unknown;
}

export interface HttpResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  /** Headers given here are merged with those set by setHeader before (these win). */
  writeHead(status: number, headers: Readonly<Record<string, string | number>>): unknown;
  end(data?: string | Uint8Array): unknown;
  /** Cuts the exchange: HTTP/1.1 closes the connection, HTTP/2 resets the stream. */
  destroy(): unknown;
  on(event: 'close' | 'finish', listener: () => void): unknown;
  once(event: 'close' | 'finish', listener: () => void): unknown;
}

export type RouteHandler = (request: HttpRequest, response: HttpResponse) => void | Promise<void>;
