// DDTrace and OpenTelemetry never both go into one pod (reference §1.5). DDTrace has precedence, as
// upstream: when it selects the pod, OpenTelemetry is not attempted — even if DDTrace then cannot inject
// (an unsupported language, a valueFrom JAVA_TOOL_OPTIONS: upstream's TestInjectTracingDoesNotFallback-
// AfterDDTraceSelection). Unlike upstream, which only logged it, the user is told (defect O4), so that a
// pod meant for OpenTelemetry can be given `admission.datakit/ddtrace.enabled: "false"`.
// Composed here, beside the registry, because injectors never import each other.

import { skipped } from '../mutation/outcomes.ts';
import { featureEnabledAnnotation } from '../mutation/operator-names.ts';
import type { Feature } from '../mutation/plan.ts';

/** `follower` as a feature that stands back whenever `leader` selects the pod. */
export function yieldingTo(follower: Feature, leader: Feature): Feature {
  return {
    ...follower,
    select(pod, ctx) {
      const own = follower.select(pod, ctx);
      // The leader's selection is cheap (annotations and selectors, no scan of the spec).
      if (!own.selected || !leader.select(pod, ctx).selected) return own;
      const message =
        `${follower.name} not injected: ${leader.name} also chose this pod and takes precedence, and a pod ` +
        `never gets both agents; to use ${follower.name}, set ${featureEnabledAnnotation(leader.name)}: "false" on the pod`;
      return { selected: false, outcome: skipped(follower.name, 'other-tracer', message, message) };
    },
  };
}
