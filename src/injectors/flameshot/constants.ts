// Every Kubernetes name, path and annotation key the Flameshot injector uses (reference §4).

export const FEATURE = 'flameshot';
export const SIDECAR_NAME = 'datakit-flameshot';
export const VOLUME_NAME = 'flameshot-volume';
/** Upstream 1.7.1+ names (1.7.0's 27-character port name broke the 15-character limit). */
export const PORT_NAME = 'flameshot-port';
export const SIDECAR_COMMAND: readonly string[] = ['/flameshot/flameshot'];
export const SIDECAR_CAPABILITIES: readonly string[] = ['SYS_PTRACE'];

/** Written when the rule asks for them and the pod has no `prometheus.io/*` annotation (reference §4.3). */
export const PROMETHEUS_PREFIX = 'prometheus.io/';
export const PROMETHEUS_MEASUREMENT = 'flameshot';
