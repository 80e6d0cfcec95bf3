// The webhook configuration takes effect asynchronously (the API server reloads it, the operator writes
// its caBundle): a server-side dry-run Pod is created until it comes back injected, before any journey
// asserts on injection (Kubernetes' own e2e tests wait the same way).

import { pollUntil } from '../../e2e/support/wait.ts';
import type { Kubectl } from './kubectl.ts';
import type { PodView } from './pods.ts';

const EFFECTIVE_TIMEOUT_MS = 90_000;
const PROBE_ANNOTATION = 'admission.datakit/java-lib.version=';
export const DDTRACE_INIT_CONTAINER = 'datakit-lib-init';

export async function waitForWebhook(kubectl: Kubectl, timeoutMs = EFFECTIVE_TIMEOUT_MS): Promise<void> {
  await pollUntil(
    async () => {
      const probe = await kubectl.json<PodView>(
        'run',
        'webhook-probe',
        '--image=busybox',
        '--restart=Never',
        '--dry-run=server',
        `--annotations=${PROBE_ANNOTATION}`,
      );
      return (probe.spec.initContainers ?? []).some((c) => c.name === DDTRACE_INIT_CONTAINER)
        ? true
        : undefined;
    },
    { timeoutMs, intervalMs: 1000, what: 'a dry-run pod to come back injected' },
  );
}
