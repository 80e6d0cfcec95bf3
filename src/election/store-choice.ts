// `election.store` (SPEC §1): `auto` is Kubernetes Leases when the operator can reach an API server, else
// memory (the embedded default). Asking for `kubernetes` without access is a start-up error.

import type { ElectionStore } from '../config/types.ts';
import { ErrorCode } from '../errors/codes.ts';
import { problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type { KubernetesAccess } from '../kube/kubernetes-access.ts';

export type ResolvedElectionStore = 'memory' | 'kubernetes';

export function resolveElectionStore(
  configured: ElectionStore,
  access: KubernetesAccess,
): Result<ResolvedElectionStore> {
  if (configured === 'memory') return ok('memory');
  if (access.kind !== 'none') return ok('kubernetes');
  if (configured === 'auto') return ok('memory');
  return err(
    problem(
      ErrorCode.CONFIG_INVALID,
      'election.store: "kubernetes" needs Kubernetes access, and the operator has none (no service-account ' +
        'token with KUBERNETES_SERVICE_HOST, no --kubeconfig, no KUBECONFIG); give it access or set ' +
        'election.store to "auto" or "memory"',
    ),
  );
}
