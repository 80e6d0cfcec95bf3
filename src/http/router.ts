// A route table and its dispatcher: exact paths, a method list per path, 404 and 405 as JSON. Both
// listeners use it; new endpoints (the election API of SPEC §10) are rows added to a table, not branches.

import type { Logger } from 'pino';
import { ErrorCode } from '../errors/codes.ts';
import type { HttpRequest, HttpResponse, RouteHandler } from './http-types.ts';
import { sendError } from './respond.ts';

export interface Route {
  readonly path: string;
  readonly methods: readonly string[];
  readonly handle: RouteHandler;
  /** Also serves every path below `path` (which then ends in `/`); the handler reads the rest. */
  readonly prefix?: boolean;
}

export function buildRouter(
  routes: readonly Route[],
  logger: Logger,
): (request: HttpRequest, response: HttpResponse) => void {
  const byPath = new Map<string, Route[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  // Longest first, so that a deeper prefix wins; exact paths are looked up before any prefix.
  const prefixes = [...byPath.keys()]
    .filter((path) => byPath.get(path)?.some((route) => route.prefix === true))
    .sort((a, b) => b.length - a.length);

  return (request, response) => {
    const method = request.method ?? '';
    const path = pathOf(request.url);
    const prefix = byPath.has(path) ? undefined : prefixes.find((candidate) => path.startsWith(candidate));
    const candidates = byPath.get(path) ?? (prefix === undefined ? undefined : byPath.get(prefix));
    if (candidates === undefined) {
      drain(request);
      sendError(response, 404, ErrorCode.HTTP_NOT_FOUND, `no endpoint at ${path}`);
      return;
    }
    const route = candidates.find((candidate) => candidate.methods.includes(method));
    if (route === undefined) {
      const allowed = candidates.flatMap((candidate) => candidate.methods);
      drain(request);
      sendError(
        response,
        405,
        ErrorCode.HTTP_METHOD_NOT_ALLOWED,
        `${method} is not allowed on ${path}; use ${allowed.join(' or ')}`,
        {
          allow: allowed.join(', '),
        },
      );
      return;
    }
    try {
      const pending = route.handle(request, response);
      if (pending !== undefined)
        pending.catch((error: unknown) => failed(error, method, path, response, logger));
    } catch (error) {
      failed(error, method, path, response, logger);
    }
  };
}

function failed(error: unknown, method: string, path: string, response: HttpResponse, logger: Logger): void {
  logger.error({ err: error, method, path, code: ErrorCode.HTTP_INTERNAL }, 'request handler failed');
  sendError(response, 500, ErrorCode.HTTP_INTERNAL, 'internal error; see the operator log');
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query < 0 ? raw : raw.slice(0, query);
}

/** A body nobody will read is discarded, so that the connection can carry the next request. */
function drain(request: HttpRequest): void {
  request.on('error', () => {});
  request.resume();
}
