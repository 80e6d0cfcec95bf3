// How the API server answered, read from whatever client-node threw: an `ApiException` carries the HTTP
// status as `.code`; anything else (DNS, refused connection, TLS) has none. Callers turn the few statuses
// they expect (404, 409) into values and report the rest with a hint that says what to change.

import { ApiException } from '@kubernetes/client-node';

export const HTTP_NOT_FOUND = 404;
export const HTTP_CONFLICT = 409;
export const HTTP_FORBIDDEN = 403;
export const HTTP_UNAUTHORIZED = 401;

/** No API call may hold a caller longer than this: webhook and election requests wait on them. */
export const API_REQUEST_TIMEOUT_MS = 5_000;

/** A failed API call; `status` is the HTTP status, undefined when no answer came (network, timeout). */
export class KubeRequestError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeRequestError';
    this.status = status;
  }
}

/** The call's own result, or a KubeRequestError without status once `timeoutMs` has passed. */
export function bounded<T>(
  pending: Promise<T>,
  what: string,
  timeoutMs = API_REQUEST_TIMEOUT_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new KubeRequestError(`${what}: no answer from the API server within ${timeoutMs} ms`, undefined),
        ),
      timeoutMs,
    );
  });
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}

/** The HTTP status of a failed API call, or undefined when the request never got an answer. */
export function apiStatusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  if (error instanceof KubeRequestError) return error.status;
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error as { code: unknown };
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** One line for a log or an error message: the status, the server's own message, and what to check. */
export function describeApiError(error: unknown, action: string): string {
  const status = apiStatusOf(error);
  const serverMessage = serverMessageOf(error);
  if (status === HTTP_FORBIDDEN || status === HTTP_UNAUTHORIZED) {
    return (
      `${action} was refused (HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}); ` +
      "check the operator's ServiceAccount and the RBAC rules shipped with the chart or manifest"
    );
  }
  if (status !== undefined) {
    return `${action} failed (HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''})`;
  }
  return `${action} failed: ${(error as Error)?.message ?? String(error)}; check that the API server is reachable`;
}

function serverMessageOf(error: unknown): string | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      return typeof parsed.message === 'string' ? parsed.message : body.slice(0, 200);
    } catch {
      return body.slice(0, 200);
    }
  }
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const { message } = body as { message: unknown };
    return typeof message === 'string' ? message : undefined;
  }
  return undefined;
}
