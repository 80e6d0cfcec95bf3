// The Kubernetes side of the election (SPEC §10): the Lease client and watches, the Kubernetes store and
// the task-membership exchange. compose.ts imports this module dynamically, only for the Kubernetes
// store, so that the embedded default never loads @kubernetes/client-node.

import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { buildAccessReviewer } from '../kube/access-review.ts';
import { buildLeaseClient, watchLeases } from '../kube/leases.ts';
import type { Clock } from './clock.ts';
import type { ElectionLease } from './lease.ts';
import { MEMBERSHIP_LEASE_SELECTOR } from './membership-kubernetes.ts';
import type { ElectionMetrics } from './metrics.ts';
import { KubernetesLeaseStore, MANAGED_LEASE_SELECTOR, toElectionLease } from './store-kubernetes.ts';

export { KubernetesMembershipExchange } from './membership-kubernetes.ts';

export function buildKubernetesParts(
  config: KubeConfig,
  namespace: string,
  clock: Clock,
  metrics: ElectionMetrics,
  logger: Logger,
  observe: (lease: ElectionLease) => void,
) {
  const onWatchError = (what: string) => (error: unknown) => {
    metrics.recordStorageError('watch');
    logger.warn({ err: error, namespace }, `election: the ${what} watch failed; restarting it`);
  };
  const leaseWatch = watchLeases(config, namespace, {
    labelSelector: MANAGED_LEASE_SELECTOR,
    onError: onWatchError('Lease'),
    onChange: (lease) => observe(toElectionLease(lease)),
  });
  const client = buildLeaseClient(config, namespace);
  const store = new KubernetesLeaseStore({
    client,
    watch: leaseWatch,
    reviewAccess: buildAccessReviewer(config),
    namespace,
    clock,
  });
  const membershipWatch = watchLeases(config, namespace, {
    fieldSelector: MEMBERSHIP_LEASE_SELECTOR,
    onError: onWatchError('task-membership'),
  });
  return { store, leaseWatch, membership: { client, watch: membershipWatch } };
}
