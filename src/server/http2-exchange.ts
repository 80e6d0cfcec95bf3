// HTTP/2 requests are served on the stream itself, not through node's compatibility objects
// (`Http2ServerRequest`/`Http2ServerResponse`): those wrap every stream in two more stream objects, proxy
// every event through them and end every response with an extra trailers frame. On the untargeted pod
// that was about a tenth of the server's CPU per admission (`npm run bench`). The request and response
// here are the part of that surface the routes use (http-types.ts), with the same meaning.

import {
  constants as http2Constants,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { HttpRequest, HttpRequestEvents, HttpResponse } from '../http/http-types.ts';

const {
  HTTP2_HEADER_EXPECT,
  HTTP2_HEADER_METHOD,
  HTTP2_HEADER_PATH,
  HTTP2_HEADER_STATUS,
  HTTP_STATUS_CONTINUE,
  HTTP_STATUS_EXPECTATION_FAILED,
  NGHTTP2_NO_ERROR,
} = http2Constants;

const HTTP2_VERSION = '2.0';
const EXPECT_CONTINUE = '100-continue';

export class Http2StreamRequest implements HttpRequest {
  readonly httpVersion = HTTP2_VERSION;
  readonly method: string | undefined;
  readonly url: string | undefined;

  constructor(
    readonly stream: ServerHttp2Stream,
    readonly headers: IncomingHttpHeaders,
  ) {
    this.method = headers[HTTP2_HEADER_METHOD] as string | undefined;
    this.url = headers[HTTP2_HEADER_PATH] as string | undefined;
  }

  /** True once the body has ended or the stream is gone (the compatibility request's `complete`). */
  get complete(): boolean {
    return this.stream.readableEnded || this.stream.destroyed || this.stream.closed;
  }

  on<E extends keyof HttpRequestEvents>(event: E, listener: HttpRequestEvents[E]): this {
    this.stream.on(event, listener);
    return this;
  }

  off<E extends keyof HttpRequestEvents>(event: E, listener: HttpRequestEvents[E]): this {
    this.stream.off(event, listener);
    return this;
  }

  resume(): this {
    this.stream.resume();
    return this;
  }
}

/**
 * Headers go out at `writeHead` (or at `end` when nothing wrote them), the body with `end`. 'finish' is
 * the stream's: the response is fully written; 'close' is the stream's close. A response to a stream
 * that is already gone is dropped, as the compatibility response drops it.
 */
export class Http2StreamResponse implements HttpResponse {
  statusCode = 200;
  #headers: OutgoingHttpHeaders = {};
  #ended = false;

  constructor(readonly stream: ServerHttp2Stream) {}

  get headersSent(): boolean {
    return this.stream.headersSent;
  }

  get writableEnded(): boolean {
    return this.#ended || this.#gone();
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.#headers[name.toLowerCase()] = value as string | number | string[];
    return this;
  }

  writeHead(status: number, headers: Readonly<Record<string, string | number>>): this {
    this.statusCode = status;
    for (const name of Object.keys(headers)) this.#headers[name.toLowerCase()] = headers[name];
    this.#respond(false);
    return this;
  }

  end(data?: string | Uint8Array): this {
    if (this.#ended) return this;
    this.#ended = true;
    if (this.#gone()) return this;
    if (data === undefined) {
      if (!this.stream.headersSent) this.#respond(true);
      else this.stream.end();
      return this;
    }
    this.#respond(false);
    // The stream is ended once the body is written, not with it: ended together, nghttp2 closes the
    // stream before node hears that the write completed, and node then builds an ERR_STREAM_DESTROYED
    // (a full stack trace) for every response, about 18 µs per admission in the bench profile. The end
    // costs one empty DATA frame instead.
    this.stream.write(data, (error) => {
      if (error) this.stream.destroy();
      else this.stream.end();
    });
    return this;
  }

  destroy(): this {
    // NO_ERROR, as every reset the server itself sends: the session guard counts error codes as the
    // client's resets (http2-guards.ts). close() alone would wait until the answer is written, which is
    // what a client that does not read never lets happen; destroy() then resets at once, with that code.
    if (this.#gone()) return this;
    this.stream.close(NGHTTP2_NO_ERROR);
    this.stream.destroy();
    return this;
  }

  on(event: 'close' | 'finish', listener: () => void): this {
    this.stream.on(event, listener);
    return this;
  }

  once(event: 'close' | 'finish', listener: () => void): this {
    this.stream.once(event, listener);
    return this;
  }

  #respond(endStream: boolean): void {
    if (this.stream.headersSent || this.#gone()) return;
    this.#headers[HTTP2_HEADER_STATUS] = this.statusCode;
    this.stream.respond(this.#headers, { endStream });
  }

  #gone(): boolean {
    return this.stream.destroyed || this.stream.closed;
  }
}

export interface Http2Exchange {
  readonly request: Http2StreamRequest;
  readonly response: Http2StreamResponse;
}

/**
 * The request and response of one stream, or undefined when the stream was answered here already: an
 * `Expect` other than 100-continue gets 417, as node's compatibility layer answers it.
 */
export function openExchange(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
): Http2Exchange | undefined {
  const expect = headers[HTTP2_HEADER_EXPECT];
  if (expect !== undefined && expect !== EXPECT_CONTINUE) {
    stream.respond({ [HTTP2_HEADER_STATUS]: HTTP_STATUS_EXPECTATION_FAILED }, { endStream: true });
    return undefined;
  }
  // A client that waits for 100 Continue before sending its body gets it at once, as from node's
  // compatibility layer when nobody listens for 'checkContinue'.
  if (expect === EXPECT_CONTINUE) stream.additionalHeaders({ [HTTP2_HEADER_STATUS]: HTTP_STATUS_CONTINUE });
  return { request: new Http2StreamRequest(stream, headers), response: new Http2StreamResponse(stream) };
}
