// The cluster Pod API for the server (issue 15 §3): the Pod informer feed (when there is Kubernetes
// access), its store, the caller check for the full view, and one route row for the three paths. The
// routes are always registered and answer 503 with the reason until the cache has synced; the webhook
// never waits for it.

import type { Logger } from 'pino';
import { ErrorCode } from '../errors/codes.ts';
import type { OpenFeed } from '../kube/object-feed.ts';
import type { Route } from '../http/router.ts';
import { sendError, sendJson, sendText } from '../http/respond.ts';
import { bearerTokenOf, missingTokenDecision, type CallerReviewer } from './caller-access.ts';
import { toCachedPod, type CachedPod } from './cached-pod.ts';
import { CLUSTER_API_PREFIX, PODS_API_PATH, VIEW_FULL } from './constants.ts';
import { parsePodQuery, parsePodRoute } from './pod-request.ts';
import { ListAnswerCache } from './list-answer-cache.ts';
import { PodStore } from './pod-store.ts';
import { resolvePodReply, type PodSource } from './reply.ts';

const JSON_CONTENT_TYPE = 'application/json';

export const NO_KUBERNETES_ACCESS_REASON =
  'no Kubernetes access: the operator runs without a cluster, so it has no pods to serve; ' +
  'run it in a cluster or give it --kubeconfig';

export interface ClusterPodServiceOptions {
  /** Undefined without Kubernetes access: every route then answers 503 with NO_KUBERNETES_ACCESS_REASON. */
  readonly openFeed: OpenFeed | undefined;
  /** Undefined without Kubernetes access (then view=full is a 503 too). */
  readonly reviewCaller: CallerReviewer | undefined;
  readonly logger: Logger;
}

export interface ClusterPodService {
  readonly routes: readonly Route[];
  /** How many pods the cache holds (for metrics and the bench). */
  size(): number;
  /** Whether the first list has been stored; undefined without Kubernetes access (there is no cache). */
  synced(): boolean | undefined;
  start(): void;
  close(): Promise<void>;
}

export function buildClusterPodService(options: ClusterPodServiceOptions): ClusterPodService {
  const logger = options.logger.child({ component: 'cluster-pods' });
  const store = new PodStore();
  const answers = new ListAnswerCache();
  const feed = options.openFeed?.<CachedPod>({
    path: PODS_API_PATH,
    keep: toCachedPod,
    onUpsert: (pod) => store.upsert(pod),
    onDelete: (pod) => store.delete(pod),
    onError: (error) =>
      logger.warn(
        { err: error },
        `Pod watch failed (retrying): ${(error as Error).message}; check that the operator may list and watch pods`,
      ),
  });

  const source = (): PodSource => {
    if (feed === undefined) return { ready: false, reason: NO_KUBERNETES_ACCESS_REASON };
    const status = feed.status();
    if (status.synced) return { ready: true, store };
    return {
      ready: false,
      reason:
        status.problem === undefined
          ? 'the first list of pods has not finished; try again shortly'
          : `the last list failed (${status.problem}); retrying`,
    };
  };

  const route: Route = {
    path: CLUSTER_API_PREFIX,
    prefix: true,
    methods: ['GET'],
    handle: async (request, response) => {
      const url = new URL(request.url ?? '/', 'http://operator');
      const podRoute = parsePodRoute(url.pathname);
      if (podRoute === undefined) {
        sendError(
          response,
          404,
          ErrorCode.HTTP_NOT_FOUND,
          `no endpoint at ${url.pathname}; the cluster API serves ${CLUSTER_API_PREFIX}pods, ` +
            `${CLUSTER_API_PREFIX}namespaces/<namespace>/pods and ${CLUSTER_API_PREFIX}namespaces/<namespace>/pods/<name>`,
        );
        return;
      }
      const query = parsePodQuery(url.searchParams);
      const current = source();
      // Only the trimmed view, which needs no token, is answered from the cache: the full view asks the
      // API server about each caller, and that check must not be skipped.
      const cacheKey =
        query.ok && current.ready && query.value.view !== VIEW_FULL
          ? ListAnswerCache.keyOf(podRoute, query.value)
          : undefined;
      const revision = store.revision();
      const cached = cacheKey === undefined ? undefined : answers.get(cacheKey, revision);
      if (cached !== undefined) {
        sendText(response, 200, cached, JSON_CONTENT_TYPE);
        return;
      }
      const token = bearerTokenOf(request.headers.authorization);
      const reply = await resolvePodReply(podRoute, query, current, (attributes) => {
        if (token === undefined) return Promise.resolve(missingTokenDecision());
        if (options.reviewCaller === undefined)
          return Promise.resolve({
            allowed: false,
            status: 503,
            reason: NO_KUBERNETES_ACCESS_REASON,
          } as const);
        return options.reviewCaller(token, attributes);
      });
      if (cacheKey !== undefined && reply.status === 200) {
        const text = JSON.stringify(reply.body);
        answers.set(cacheKey, revision, text);
        sendText(response, 200, text, JSON_CONTENT_TYPE);
        return;
      }
      sendJson(response, reply.status, reply.body);
    },
  };

  return {
    routes: [route],
    size: () => store.size(),
    synced: () => feed?.status().synced,
    start: () => feed?.start(),
    close: async () => feed?.stop(),
  };
}
