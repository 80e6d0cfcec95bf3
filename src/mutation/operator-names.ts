// Names every part of the mutation core must agree on. They live here, not in one injector, because
// injectors never import each other (ARCHITECTURE §4 rule 3) yet must all recognise the operator's own
// sidecars and the status annotations.

/** Pod annotation: `false` (Go ParseBool) turns every feature off for this pod (SPEC §4.1). */
export const ANNOTATION_ENABLED = 'admission.datakit/enabled';

/** Pod annotation written by the operator: compact JSON naming what was injected (SPEC §3). */
export const ANNOTATION_INJECTED = 'admission.datakit/injected';

/** Pod annotation written by the operator: JSON array of warnings, visible on controller-made pods. */
export const ANNOTATION_WARNINGS = 'admission.datakit/warnings';

/** Pod annotation: comma-separated names narrowing the containers that are instrumented (SPEC §6). */
export const ANNOTATION_CONTAINER_NAMES = 'admission.datakit/container-names';

/** The per-feature opt-out annotation, e.g. `admission.datakit/ddtrace.enabled`. */
export function featureEnabledAnnotation(feature: string): string {
  return `admission.datakit/${feature}.enabled`;
}

/**
 * The init containers of the two tracing agents. DDTrace and OpenTelemetry never go into one pod (reference
 * §1.5), so each injector must recognise the other's.
 */
export const DDTRACE_INIT_CONTAINER_NAME = 'datakit-lib-init';
export const OTEL_INIT_CONTAINER_NAME = 'datakit-otel-lib-init';
/** Where DDTrace's agent is mounted: an app container that has it is instrumented by DDTrace already. */
export const DDTRACE_MOUNT_PATH = '/datadog-lib';

/** Sidecars that belong to a service mesh, never instrumented (SPEC §6). */
export const PROXY_SIDECAR_NAMES: ReadonlySet<string> = new Set(['istio-proxy', 'linkerd-proxy']);

/** The operator's own sidecar containers: `datakit-profiler`, `datakit-flameshot`, `datakit-logfwd`, `datakit-logfwd-2`, … */
const OPERATOR_SIDECAR_PATTERN = /^(?:datakit-profiler|datakit-flameshot|datakit-logfwd(?:-[1-9][0-9]*)?)$/;

export function isOperatorSidecarName(name: string): boolean {
  return OPERATOR_SIDECAR_PATTERN.test(name);
}
