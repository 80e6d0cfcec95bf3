// Builds the election for the server (SPEC §10): the store `election.store` resolves to, both
// coordinators, their metrics and routes; `start` begins the Kubernetes watches and `close` ends them.
// The Kubernetes parts (and with them @kubernetes/client-node) are imported only for the Kubernetes
// store: the in-memory store of the embedded default never loads the client.

import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { OperatorConfig } from '../config/types.ts';
import { ErrorCode } from '../errors/codes.ts';
import { problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type { KubernetesAccess } from '../kube/kubernetes-access.ts';
import type { Route } from '../http/router.ts';
import { CentralCoordinator, type ElectionTiming } from './central-coordinator.ts';
import { buildCentralElectionRoutes } from './central-routes.ts';
import { systemClock, type Clock } from './clock.ts';
import type { LeaseStore } from './lease.ts';
import { LeaseObservations } from './lease-observations.ts';
import type { KubernetesMembershipExchange } from './membership-kubernetes.ts';
import { buildElectionMetrics, type ElectionMetrics } from './metrics.ts';
import { resolveElectionStore, type ResolvedElectionStore } from './store-choice.ts';
import { MemoryLeaseStore } from './store-memory.ts';
import { NO_PEERS, TaskElection } from './task-election.ts';
import { buildTaskElectionRoutes } from './task-routes.ts';
import type { TransferBudget } from '../http/transfer-budget.ts';

/** Observations of Leases nobody campaigned for in this long are dropped (re-seeing one is safe). */
const FORGET_LEASE_AFTER_MS = 60 * 60_000;
/** How often expired scopes are collected and the active-scopes gauge is refreshed. */
const COLLECT_INTERVAL_MS = 5_000;

export interface ElectionServiceOptions {
  /** Read per request (hot reload); the store choice is read once, at start. */
  readonly config: () => OperatorConfig;
  readonly access: KubernetesAccess;
  /** From kube/client.ts loadKubeConfig(access); needed when the store is Kubernetes. */
  readonly kubeConfig: KubeConfig | undefined;
  readonly operatorNamespace: string;
  /** The server's own metrics registry. */
  readonly registry: Registry;
  readonly logger: Logger;
  /** The main listener's budget for bodies arriving and answers not yet taken (transfer-budget.ts). */
  readonly buffers: TransferBudget;
  readonly clock?: Clock;
  /** Names this process's task-membership section; unique per process by default. */
  readonly replicaId?: string;
}

export interface ElectionService {
  readonly store: ResolvedElectionStore;
  /** The main listener's election rows (SPEC §10). */
  readonly routes: readonly Route[];
  start(): void;
  close(): Promise<void>;
}

export async function buildElectionService(
  options: ElectionServiceOptions,
): Promise<Result<ElectionService>> {
  const resolved = resolveElectionStore(options.config().election.store, options.access);
  if (!resolved.ok) return resolved;
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ component: 'election' });
  const timing = (): ElectionTiming => {
    const { lease_duration_seconds, interval_seconds } = options.config().election;
    return { leaseDurationSeconds: lease_duration_seconds, intervalSeconds: interval_seconds };
  };

  // The closures below run only after everything is built (at scrape time, on watch events).
  const metrics: ElectionMetrics = buildElectionMetrics(options.registry, () => ({
    activeScopes: () => central.activeScopes(),
    knownScopes: () => central.knownScopes(),
    taskSizes: () => taskElection.sizes(),
  }));

  const kubeConfig = resolved.value === 'kubernetes' ? options.kubeConfig : undefined;
  if (resolved.value === 'kubernetes' && kubeConfig === undefined) {
    return err(
      problem(
        ErrorCode.CONFIG_INVALID,
        'election.store: the Kubernetes store needs a Kubernetes client configuration and none was loaded; ' +
          'give the operator a kubeconfig or set election.store to "memory"',
      ),
    );
  }
  const kubernetesModule = kubeConfig === undefined ? undefined : await import('./kubernetes-parts.ts');
  const kubernetes =
    kubeConfig === undefined || kubernetesModule === undefined
      ? undefined
      : kubernetesModule.buildKubernetesParts(
          kubeConfig,
          options.operatorNamespace,
          clock,
          metrics,
          logger,
          (lease) => central.observe(lease),
        );
  const store: LeaseStore = kubernetes?.store ?? new MemoryLeaseStore();
  const central = new CentralCoordinator({
    store,
    observations: new LeaseObservations(FORGET_LEASE_AFTER_MS),
    clock,
    timing,
    maxScopes: () => options.config().election.max_scopes,
    metrics,
    logger,
  });
  let collecting: Promise<unknown> | undefined;
  let collector: NodeJS.Timeout | undefined;
  const collect = (): void => {
    // One pass at a time: a slow API server must not pile them up.
    if (collecting !== undefined) return;
    collecting = central.collectExpired().finally(() => (collecting = undefined));
  };
  let exchange: KubernetesMembershipExchange | undefined;
  const taskElection = new TaskElection({
    clock,
    peers: {
      revision: () => (exchange ?? NO_PEERS).revision(),
      peerMembers: (nowMs) => (exchange ?? NO_PEERS).peerMembers(nowMs),
    },
    onMembershipChange: () => exchange?.requestPublish(),
  });
  if (kubernetes !== undefined && kubernetesModule !== undefined) {
    exchange = new kubernetesModule.KubernetesMembershipExchange({
      ...kubernetes.membership,
      replicaId: options.replicaId ?? `${hostname()}-${randomUUID().slice(0, 8)}`,
      clock,
      localMembers: () => taskElection.localMembers(),
      metrics,
      logger,
    });
  }

  const routes = [
    ...buildCentralElectionRoutes({ coordinator: central, timing, metrics }),
    ...buildTaskElectionRoutes({ election: taskElection, metrics, logger, buffers: options.buffers }),
  ];
  return ok({
    store: resolved.value,
    routes,
    start() {
      kubernetes?.leaseWatch.start();
      exchange?.start();
      if (collector === undefined) {
        collector = setInterval(collect, COLLECT_INTERVAL_MS);
        collector.unref();
      }
    },
    async close() {
      clearInterval(collector);
      collector = undefined;
      await Promise.all([kubernetes?.leaseWatch.stop(), exchange?.stop(), collecting]);
    },
  });
}
