// One cluster Pod API request, from parsed route and query to status and body (issue 15 §3): 400 for a bad
// view or selector, 503 until the cache has synced (upstream v1.9.1, every route), the caller check for the
// full view, then the pods. Bodies: a bare JSON array for lists (what DataKit expects, C2), a Pod object
// for one pod, `{"error": …, "code": …}` for every refusal (upstream mixed `message` and `error`, C4; the
// added `code` is a key DataKit's client does not read).

import type { AccessDecision, PodAccessAttributes } from './caller-access.ts';
import { MESSAGE_NOT_FOUND, MESSAGE_NOT_READY, VIEW_FULL } from './constants.ts';
import type { PodRoute, PodQuery } from './pod-request.ts';
import type { PodStore } from './pod-store.ts';
import { renderPod } from './views.ts';
import { ErrorCode } from '../errors/codes.ts';
import type { Result } from '../errors/result.ts';
import { errorBody } from '../http/respond.ts';

export type PodSource =
  { readonly ready: true; readonly store: PodStore } | { readonly ready: false; readonly reason: string };

export interface PodReply {
  readonly status: number;
  readonly body: unknown;
}

/** Decides whether the caller may have the full view of these pods (only asked for view=full). */
export type AuthorizeFullView = (attributes: PodAccessAttributes) => Promise<AccessDecision>;

export async function resolvePodReply(
  route: PodRoute,
  query: Result<PodQuery, string>,
  source: PodSource,
  authorize: AuthorizeFullView,
): Promise<PodReply> {
  if (!query.ok) return { status: 400, body: errorBody(ErrorCode.QUERY_INVALID, query.error) };
  if (!source.ready) {
    return { status: 503, body: errorBody(ErrorCode.NOT_READY, `${MESSAGE_NOT_READY}: ${source.reason}`) };
  }
  const { view, nodeName } = query.value;
  if (view === VIEW_FULL) {
    const decision = await authorize(accessAttributesOf(route));
    if (!decision.allowed) {
      return { status: decision.status, body: errorBody(denialCode(decision.status), decision.reason) };
    }
  }
  if (route.kind === 'pod') {
    const pod = source.store.get(route.namespace, route.name);
    if (pod === undefined || (nodeName !== undefined && pod.spec?.nodeName !== nodeName)) {
      return {
        status: 404,
        body: errorBody(
          ErrorCode.OBJECT_NOT_FOUND,
          `${MESSAGE_NOT_FOUND}: pod ${route.namespace}/${route.name} is not in the cache`,
        ),
      };
    }
    return { status: 200, body: renderPod(pod, view) };
  }
  const pods = source.store.list({
    ...(route.kind === 'namespace' ? { namespace: route.namespace } : {}),
    ...(nodeName !== undefined ? { nodeName } : {}),
  });
  return { status: 200, body: pods.map((pod) => renderPod(pod, view)) };
}

/** 401: no usable token; 403: the token may not list these pods; 503: nobody could be asked right now. */
function denialCode(status: number): ErrorCode {
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  return ErrorCode.NOT_READY;
}

export function accessAttributesOf(route: PodRoute): PodAccessAttributes {
  switch (route.kind) {
    case 'all':
      return { verb: 'list', namespace: '' };
    case 'namespace':
      return { verb: 'list', namespace: route.namespace };
    case 'pod':
      return { verb: 'get', namespace: route.namespace, name: route.name };
  }
}
