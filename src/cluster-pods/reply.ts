// One cluster Pod API request, from parsed route and query to status and body (issue 15 §3): 400 for a bad
// view or selector, 503 until the cache has synced (upstream v1.9.1, every route), the caller check for the
// full view, then the pods. Bodies: a bare JSON array for lists (what DataKit expects, C2), a Pod object
// for one pod, `{"error": …}` for every refusal (upstream mixed `message` and `error`, C4).

import type { AccessDecision, PodAccessAttributes } from './caller-access.ts';
import { MESSAGE_NOT_FOUND, MESSAGE_NOT_READY, VIEW_FULL } from './constants.ts';
import type { PodRoute, PodQuery } from './pod-request.ts';
import type { PodStore } from './pod-store.ts';
import { renderPod } from './views.ts';
import type { Result } from '../errors/result.ts';

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
  if (!query.ok) return { status: 400, body: { error: query.error } };
  if (!source.ready) return { status: 503, body: { error: `${MESSAGE_NOT_READY}: ${source.reason}` } };
  const { view, nodeName } = query.value;
  if (view === VIEW_FULL) {
    const decision = await authorize(accessAttributesOf(route));
    if (!decision.allowed) return { status: decision.status, body: { error: decision.reason } };
  }
  if (route.kind === 'pod') {
    const pod = source.store.get(route.namespace, route.name);
    if (pod === undefined || (nodeName !== undefined && pod.spec?.nodeName !== nodeName)) {
      return {
        status: 404,
        body: { error: `${MESSAGE_NOT_FOUND}: pod ${route.namespace}/${route.name} is not in the cache` },
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
