// Every Kubernetes name, path and annotation key the OpenTelemetry injector uses (reference §1.2, §1.3).

import type { OtelLanguage } from '../../config/v2/types.ts';
import {
  DDTRACE_INIT_CONTAINER_NAME,
  DDTRACE_MOUNT_PATH,
  OTEL_INIT_CONTAINER_NAME,
  featureEnabledAnnotation,
} from '../../mutation/operator-names.ts';

export const FEATURE = 'otel';
export const INIT_CONTAINER_NAME = OTEL_INIT_CONTAINER_NAME;
export const VOLUME_NAME = 'datakit-otel-auto-instrument';
/** `false` (Go ParseBool) turns OpenTelemetry off for the pod, whatever the rule's check_annotation. */
export const ANNOTATION_OTEL_ENABLED = featureEnabledAnnotation(FEATURE);
/** DDTrace's init container and mount path: a pod that has either is DDTrace's (reference §1.4, §1.5). */
export const DDTRACE_INIT_CONTAINER = DDTRACE_INIT_CONTAINER_NAME;
export const DDTRACE_MOUNT = DDTRACE_MOUNT_PATH;
export const DDTRACE_MOUNT_PATHS: readonly string[] = [DDTRACE_MOUNT, `${DDTRACE_MOUNT}/`];

/** `admission.datakit/otel-<language>-lib.version`: needed by a rule with check_annotation, its value a tag. */
export function otelVersionAnnotation(language: OtelLanguage): string {
  return `admission.datakit/otel-${language}-lib.version`;
}

export const ANNOTATION_OTEL_JAVA_VERSION = otelVersionAnnotation('java');
export const ANNOTATION_OTEL_PYTHON_VERSION = otelVersionAnnotation('python');
export const ANNOTATION_OTEL_NODEJS_VERSION = otelVersionAnnotation('nodejs');

export const JAVA_MOUNT_PATH = '/otel-auto-instrumentation-java';
export const PYTHON_MOUNT_PATH = '/otel-auto-instrumentation-python';
export const NODEJS_MOUNT_PATH = '/otel-auto-instrumentation-nodejs';

/** The agent as the JVM loads it. */
export const JAVA_AGENT_OPTION = `-javaagent:${JAVA_MOUNT_PATH}/javaagent.jar`;
/** PYTHONPATH's first component: the directory whose `sitecustomize` starts the instrumentation. */
export const PYTHON_PATH_PREFIX = `${PYTHON_MOUNT_PATH}/opentelemetry/instrumentation/auto_instrumentation`;
/** The script `--require` loads; written as `--require <path>` (two words), as upstream. */
export const NODEJS_REQUIRE_PATH = `${NODEJS_MOUNT_PATH}/autoinstrumentation.js`;
export const NODEJS_REQUIRE_FLAG = '--require';
/** Any mention of the Node.js mount in NODE_OPTIONS other than our one require is someone else's edit. */
export const NODEJS_MOUNT_MARKER = 'otel-auto-instrumentation-nodejs';
/** DDTrace's Java agent in JAVA_TOOL_OPTIONS. */
export const DDTRACE_JAVA_AGENT_MARKER = 'dd-java-agent.jar';
/** DDTrace's Node.js init module, as `--require`/`-r` names it (reference §1.4 step 7). */
export const DDTRACE_NODE_INIT = 'dd-trace/init';
export const DDTRACE_NODE_INIT_SUFFIX = '/node_modules/dd-trace/init';

/** The images upstream documents (export/config.env); for `config default` and the README, not a default. */
export const DOCUMENTED_IMAGES: Readonly<Record<OtelLanguage, string>> = {
  java: 'ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.29.0',
  python: 'ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-python:0.64b0',
  nodejs: 'ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-nodejs:0.78.0',
};
