// HTTP/1.1 requests that node's parser refuses before any route sees them: malformed framing
// (Content-Length with Transfer-Encoding, duplicate or negative Content-Length), oversized headers, and
// the header/request timeouts. node answers these itself only when nobody listens to 'clientError';
// the listener we need (so that a bad client never crashes the process) takes that over, so the answer
// is written here — with a reason, like every other refusal — before the connection is closed.

import type { Socket } from 'node:net';
import { ErrorCode } from '../errors/codes.ts';
import { errorBody } from '../http/respond.ts';
import type { ClientErrorReason } from './connection-limits.ts';

/** After the answer is written the peer gets this long to read it before the socket is destroyed. */
const LINGER_MS = 1_000;

/** Sockets already answered: the parser may report more errors while the rest of the request arrives. */
const answered = new WeakSet<Socket>();

interface Refusal {
  readonly status: number;
  readonly statusText: string;
  readonly reason: ClientErrorReason;
  readonly code: ErrorCode;
  readonly message: string;
}

function refusalFor(code: string | undefined): Refusal | undefined {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      statusText: 'Request Header Fields Too Large',
      reason: 'headers_too_large',
      code: ErrorCode.HTTP_HEADERS_TOO_LARGE,
      message: 'the request headers are larger than the server accepts',
    };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      status: 408,
      statusText: 'Request Timeout',
      reason: 'request_timeout',
      code: ErrorCode.HTTP_TIMEOUT,
      message: 'the request did not arrive in time',
    };
  }
  if (code?.startsWith('HPE_')) {
    return {
      status: 400,
      statusText: 'Bad Request',
      reason: 'bad_request',
      code: ErrorCode.HTTP_FRAMING,
      message: `malformed HTTP/1.1 request (${code})`,
    };
  }
  // ECONNRESET and friends: the client is gone, there is nobody to answer.
  return undefined;
}

interface ResponseInProgress {
  readonly _httpMessage?: { readonly headersSent?: boolean } | null;
}

/**
 * Answers what can be answered, then closes. Returns the reason for the metric, or undefined when the
 * error was the client going away.
 */
export function answerHttp1ClientError(error: Error, socket: Socket): ClientErrorReason | undefined {
  if (answered.has(socket)) return undefined;
  answered.add(socket);
  const refusal = refusalFor((error as NodeJS.ErrnoException).code);
  // A response already started on this connection cannot be followed by another status line.
  const started = (socket as Socket & ResponseInProgress)._httpMessage?.headersSent === true;
  if (refusal === undefined || !socket.writable || started) {
    socket.destroy();
    return refusal?.reason;
  }
  const body = JSON.stringify(errorBody(refusal.code, refusal.message));
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.statusText}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
  return refusal.reason;
}
