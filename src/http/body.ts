// Reading a request body with a hard size limit. The limit is enforced twice: against Content-Length
// before reading anything, and against the bytes actually received (a chunked or lying client), so that
// an oversize body is refused as soon as the limit is crossed and the rest is never buffered. Every byte
// held also comes from the main listener's transfer budget (transfer-budget.ts): a body that does not
// fit is refused as `busy`.

import { constants as http2Constants, type ServerHttp2Stream } from 'node:http2';
import type { TransferBudget } from './transfer-budget.ts';
import type { HttpRequest, HttpResponse } from './http-types.ts';

export type BodyReadResult =
  | { readonly kind: 'complete'; readonly body: Buffer }
  | { readonly kind: 'too-large'; readonly limitBytes: number }
  /** The bodies and answers in flight already hold the whole budget: the client should retry shortly. */
  | { readonly kind: 'busy'; readonly budgetBytes: number }
  /** The client went away (aborted request, reset stream, socket error): nobody is left to answer. */
  | { readonly kind: 'aborted'; readonly reason: string };

export function readBodyWithLimit(
  request: HttpRequest,
  limitBytes: number,
  budget: TransferBudget,
): Promise<BodyReadResult> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    return Promise.resolve({ kind: 'too-large', limitBytes });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (result: BodyReadResult): void => {
      if (settled) return;
      settled = true;
      budget.giveBack(received);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('aborted', onAborted);
      request.off('close', onClose);
      resolve(result);
    };
    const refuse = (result: BodyReadResult): void => {
      chunks.length = 0;
      // Keep draining (discarding) so that HTTP/1.1 can still deliver the answer before the connection closes.
      request.on('data', discard);
      finish(result);
    };
    const onData = (chunk: Buffer): void => {
      if (received + chunk.length > limitBytes) {
        refuse({ kind: 'too-large', limitBytes });
        return;
      }
      if (!budget.tryTake(chunk.length)) {
        refuse({ kind: 'busy', budgetBytes: budget.limitBytes });
        return;
      }
      received += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'complete', body: Buffer.concat(chunks, received) });
    const onAborted = (): void => finish({ kind: 'aborted', reason: 'the client aborted the request' });
    const onClose = (): void =>
      finish({ kind: 'aborted', reason: 'the connection closed before the body ended' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('aborted', onAborted);
    request.on('close', onClose);
    // Errors are reported through 'aborted'/'close' as well; this listener only keeps them from crashing.
    request.on('error', onAborted);
  });
}

function discard(): void {}

/**
 * Sends nothing itself: prepares `response` so that, once it is written, the rest of a refused body
 * stops coming. HTTP/1.1: `Connection: close`. HTTP/2: after the response, RST_STREAM(NO_ERROR), which
 * RFC 9113 §8.1 defines as "stop sending the request, the response is complete".
 */
export function stopReceivingAfterResponse(request: HttpRequest, response: HttpResponse): void {
  // Whatever still arrives before the connection or stream closes is read and dropped, never buffered.
  request.on('error', () => {});
  request.resume();
  const stream = (request as { stream?: ServerHttp2Stream }).stream;
  if (stream === undefined) {
    response.setHeader('connection', 'close');
    return;
  }
  response.once('finish', () => {
    if (!stream.closed && !stream.destroyed) stream.close(http2Constants.NGHTTP2_NO_ERROR);
  });
}
