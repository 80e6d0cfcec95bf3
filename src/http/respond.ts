// Writing responses. Every write goes through here so that a response to a client that already went away
// (aborted request, reset stream) is silently dropped instead of throwing ERR_STREAM_WRITE_AFTER_END.

import type { ErrorCode } from '../errors/codes.ts';
import type { HttpResponse } from './http-types.ts';
import type { TransferBudget } from './transfer-budget.ts';

export function sendJson(
  response: HttpResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(response, status, 'application/json', JSON.stringify(body), headers);
}

/**
 * Sends a JSON body (text, or its UTF-8 bytes) whose bytes the server's transfer budget holds until the
 * client has taken them; false, with nothing sent, when they do not fit (the caller answers 503 instead).
 */
export function sendJsonBodyWithin(
  response: HttpResponse,
  budget: TransferBudget,
  status: number,
  body: string | Buffer,
): boolean {
  if (response.headersSent || response.writableEnded) return true;
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  return budget.tryHoldAnswer(response, length, () =>
    send(response, status, 'application/json', body, {}, length),
  );
}

export function sendText(
  response: HttpResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  send(response, status, contentType, body, {});
}

/** The JSON body of a refused request: the one-line reason, and its code (docs/error-codes.md). */
export function errorBody(
  code: ErrorCode,
  message: string,
): { readonly error: string; readonly code: ErrorCode } {
  return { error: message, code };
}

/** `{"error": "...", "code": "DKO_ERR_..."}`: the body of every refused request whose wire format is ours. */
export function sendError(
  response: HttpResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(response, status, errorBody(code, message), headers);
}

function send(
  response: HttpResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Readonly<Record<string, string>>,
  length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length,
): void {
  if (response.headersSent || response.writableEnded) return;
  // One writeHead and the string itself: no copy of the body into a Buffer just to learn its length.
  response.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': length });
  response.end(body);
}
