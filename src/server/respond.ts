// Writing responses. Every write goes through here so that a response to a client that already went away
// (aborted request, reset stream) is silently dropped instead of throwing ERR_STREAM_WRITE_AFTER_END.

import type { HttpResponse } from './http-types.ts';

export function sendJson(
  response: HttpResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(response, status, 'application/json', JSON.stringify(body), headers);
}

export function sendText(
  response: HttpResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  send(response, status, contentType, body, {});
}

/** The one-line `{"error": "..."}` body used for every refused request. */
export function sendError(
  response: HttpResponse,
  status: number,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(response, status, { error: message }, headers);
}

function send(
  response: HttpResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Readonly<Record<string, string>>,
): void {
  if (response.headersSent || response.writableEnded) return;
  const bytes = Buffer.from(body, 'utf8');
  response.statusCode = status;
  response.setHeader('content-type', contentType);
  response.setHeader('content-length', bytes.length);
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.end(bytes);
}
