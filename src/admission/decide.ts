// The one decide function (SPEC §3), shared by the webhook (`handleAdmission`) and the offline commands
// (`inject`, `explain`): run the mutation core over one pod and fail open — anything thrown while
// mutating becomes a value, and the pod is then left exactly as it was (all or nothing).

import type { OperatorConfig } from '../config/types.ts';
import { mutatePod } from '../mutation/mutate-pod.ts';
import type { Feature } from '../mutation/plan.ts';
import { FEATURES } from '../injectors/registry.ts';
import type { MutationResult } from '../mutation/types.ts';
import type { Pod, ServerVersion } from '../podspec/types.ts';

export interface DecideDeps {
  readonly config: OperatorConfig;
  readonly serverVersion: ServerVersion | undefined;
  /** Defaults to the registry; tests may pass their own. */
  readonly features?: readonly Feature[];
}

export type PodDecision =
  | { readonly kind: 'decided'; readonly mutation: MutationResult }
  | { readonly kind: 'failed'; readonly error: Error };

/** The namespace a pod is created in: its own, else the request's (older API servers omit it, SPEC §3). */
export function resolvePodNamespace(pod: Readonly<Pod> | undefined, fallback: string): string {
  const own = pod?.metadata?.namespace;
  return typeof own === 'string' && own !== '' ? own : fallback;
}

function errorOf(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

export function decidePod(pod: Readonly<Pod>, namespace: string, deps: DecideDeps): PodDecision {
  try {
    const ctx = { namespace, config: deps.config, serverVersion: deps.serverVersion };
    return { kind: 'decided', mutation: mutatePod(pod, ctx, deps.features ?? FEATURES) };
  } catch (thrown) {
    return { kind: 'failed', error: errorOf(thrown) };
  }
}
