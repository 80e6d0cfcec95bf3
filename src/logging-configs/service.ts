// The ClusterLoggingConfig feature for the server (issue 15 §2): the informer feed of the CRs (when there is
// Kubernetes access), their index, and the `GET /v1/logging/configs` route. The route is always
// registered and answers 503 with the reason until the cache has synced, also when the CRD is installed or
// RBAC granted only later (the feed retries in the background; upstream checked once at start, L6). The
// webhook never waits for this cache.

import type { Logger } from 'pino';
import type { FeedStatus, OpenFeed } from '../kube/object-feed.ts';
import type { Route } from '../http/router.ts';
import { sendJson } from '../http/respond.ts';
import { LoggingConfigIndex } from './config-index.ts';
import {
  CLUSTER_LOGGING_CONFIG_CRD,
  CLUSTER_LOGGING_CONFIGS_API_PATH,
  LOGGING_CONFIGS_PATH,
} from './constants.ts';
import { resolveLoggingConfigReply, type LoggingConfigSource } from './reply.ts';
import { toStoredLoggingConfig, type StoredLoggingConfig } from './stored-config.ts';

/** Distinct "several CRs match" situations logged; beyond this they are counted silently. */
const MAX_REPORTED_CONFLICTS = 1_024;

export const NO_KUBERNETES_ACCESS_REASON =
  'no Kubernetes access: the operator runs without a cluster, so it has no ClusterLoggingConfigs to serve; ' +
  'run it in a cluster or give it --kubeconfig';

export interface LoggingConfigServiceOptions {
  /** Undefined without Kubernetes access: the route then answers 503 with NO_KUBERNETES_ACCESS_REASON. */
  readonly openFeed: OpenFeed | undefined;
  readonly logger: Logger;
}

export interface LoggingConfigService {
  readonly routes: readonly Route[];
  /** How many ClusterLoggingConfigs the cache holds. */
  size(): number;
  /** Whether the first list has been stored; undefined without Kubernetes access (there is no cache). */
  synced(): boolean | undefined;
  start(): void;
  close(): Promise<void>;
}

export function buildLoggingConfigService(options: LoggingConfigServiceOptions): LoggingConfigService {
  const logger = options.logger.child({ component: 'logging-configs' });
  const index = new LoggingConfigIndex();
  const reported = new Set<string>();
  const feed = options.openFeed?.<StoredLoggingConfig>({
    path: CLUSTER_LOGGING_CONFIGS_API_PATH,
    keep: toStoredLoggingConfig,
    onUpsert: (stored) => {
      const problems = index.upsert(stored);
      if (problems.length > 0)
        logger.warn(
          { clusterLoggingConfig: stored.metadata.name, problems },
          `ClusterLoggingConfig ${stored.metadata.name} matches no pod until fixed: ${problems.join('; ')}`,
        );
    },
    onDelete: (stored) => index.delete(stored.metadata.name),
    onError: (error) =>
      logger.warn(
        { err: error },
        `ClusterLoggingConfig watch failed (retrying): ${(error as Error).message}; ` +
          `check that CRD ${CLUSTER_LOGGING_CONFIG_CRD} is installed and that the operator may list and watch it`,
      ),
  });

  const source = (): LoggingConfigSource => {
    if (feed === undefined) return { ready: false, reason: NO_KUBERNETES_ACCESS_REASON };
    const status = feed.status();
    return status.synced ? { ready: true, index } : { ready: false, reason: notSyncedReason(status) };
  };

  const route: Route = {
    path: LOGGING_CONFIGS_PATH,
    methods: ['GET'],
    handle: (request, response) => {
      const query = new URL(request.url ?? '/', 'http://operator').searchParams;
      const reply = resolveLoggingConfigReply(query, source());
      const shadowed = reply.match?.shadowed ?? [];
      if (reply.match?.match !== undefined && shadowed.length > 0) {
        const key = [reply.match.match.name, ...shadowed].join('\u0000');
        if (!reported.has(key) && reported.size < MAX_REPORTED_CONFLICTS) {
          reported.add(key);
          logger.warn(
            { selected: reply.match.match.name, shadowed },
            `several ClusterLoggingConfigs match a pod: ${reply.match.match.name} (the oldest) wins over ${shadowed.join(', ')}`,
          );
        }
      }
      // Debug only: logfwd polls, and a pod without a config is answered 404 on every poll.
      if (reply.code !== undefined)
        logger.debug({ status: reply.status, code: reply.code }, 'logging configs request refused');
      sendJson(response, reply.status, reply.body);
    },
  };

  return {
    routes: [route],
    size: () => index.size(),
    synced: () => feed?.status().synced,
    start: () => feed?.start(),
    close: async () => feed?.stop(),
  };
}

function notSyncedReason(status: FeedStatus): string {
  const base =
    'the ClusterLoggingConfig cache has not synced yet; logfwd keeps its current configs and asks again';
  return status.problem === undefined
    ? base
    : `${base} (last failure: ${status.problem}; install CRD ${CLUSTER_LOGGING_CONFIG_CRD} and allow the ` +
        'operator to list and watch it)';
}
