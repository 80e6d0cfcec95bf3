// The parts of a request and a response that the routes use, shared by node's HTTP/1.1 objects
// (`IncomingMessage`/`ServerResponse`) and its HTTP/2 compatibility objects (`Http2ServerRequest`/
// `Http2ServerResponse`), so that one route works on both listeners and both protocols.

import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

export type HttpRequest = Readable & {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly httpVersion: string;
};

export interface HttpResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  /** Headers given here are merged with those set by setHeader before (these win). */
  writeHead(status: number, headers: Readonly<Record<string, string | number>>): unknown;
  end(data?: string | Uint8Array): unknown;
  on(event: 'close' | 'finish', listener: () => void): unknown;
  once(event: 'close' | 'finish', listener: () => void): unknown;
}

export type RouteHandler = (request: HttpRequest, response: HttpResponse) => void | Promise<void>;
