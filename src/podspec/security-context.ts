// Security contexts for containers the operator adds.

import type { Container, Pod, SecurityContext } from './types.ts';

/**
 * A securityContext that satisfies Pod Security "restricted" whenever the pod itself does: no privilege
 * escalation, every capability dropped, the runtime's default seccomp profile, and the pod's (or the
 * first instrumented container's) non-root identity, so an injected container never makes a restricted
 * pod fail admission or fail to start.
 */
export function buildRestrictedSecurityContext(pod: Pod, reference: Container | undefined): SecurityContext {
  const podContext = pod.spec?.securityContext ?? {};
  const containerContext = reference?.securityContext ?? {};
  const context: SecurityContext = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const runAsNonRoot = containerContext.runAsNonRoot ?? podContext.runAsNonRoot;
  if (runAsNonRoot !== undefined) context.runAsNonRoot = runAsNonRoot;
  const runAsUser = containerContext.runAsUser ?? podContext.runAsUser;
  if (runAsUser !== undefined) context.runAsUser = runAsUser;
  return context;
}
