// The built-in configuration, as the raw JSON document a user would write (SPEC §2). It is the manual's
// "Default configuration" block exactly — same images, same envs in the same order — plus the keys the
// manual does not show. Keeping it as a document (not as a resolved OperatorConfig) means the defaults go
// through the same merge and validation as a user's file, and `config default` prints what a user can copy.

import { deepFreeze } from '../podspec/deep-freeze.ts';

export const DEFAULT_CONFIG_DOCUMENT = deepFreeze({
  server_listen: '0.0.0.0:9543',
  health_listen: '0.0.0.0:9544',
  log_level: 'info',
  tls: {
    mode: 'auto',
    cert_file: '/usr/local/datakit-operator/certs/tls.crt',
    key_file: '/usr/local/datakit-operator/certs/tls.key',
    secret_name: 'datakit-operator-tls',
    service_name: 'datakit-operator',
    webhook_config_name: 'datakit-operator-mutation',
  },
  admission_inject: {
    ddtrace: {
      enabled_namespaces: [],
      enabled_labelselectors: [],
      images: {
        java_agent_image: 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.30.1-guance',
        python_agent_image: 'pubrepo.guance.com/datakit-operator/dd-lib-python-init:v2.21.12',
        js_agent_image: 'pubrepo.guance.com/datakit-operator/dd-lib-js-init:5.102.0',
      },
      envs: {
        DD_AGENT_HOST: 'datakit-service.datakit.svc',
        DD_TRACE_AGENT_PORT: '9529',
        DD_JMXFETCH_STATSD_HOST: 'datakit-service.datakit.svc',
        DD_JMXFETCH_STATSD_PORT: '8125',
        DD_SERVICE: "{fieldRef:metadata.labels['service']}",
        POD_NAME: '{fieldRef:metadata.name}',
        POD_NAMESPACE: '{fieldRef:metadata.namespace}',
        NODE_NAME: '{fieldRef:spec.nodeName}',
        DD_TAGS: 'pod_name:$(POD_NAME),pod_namespace:$(POD_NAMESPACE),host:$(NODE_NAME)',
      },
      resources: {
        requests: { cpu: '100m', memory: '64Mi' },
        limits: { cpu: '200m', memory: '128Mi' },
      },
    },
    logfwd: {
      options: {
        reuse_exist_volume: 'false',
        sidecar_mode: 'auto',
      },
      images: {
        logfwd_image: 'pubrepo.guance.com/datakit/logfwd:1.28.1',
      },
      envs: {},
      resources: {
        requests: { cpu: '100m', memory: '64Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      },
    },
    profiler: {
      enabled_namespaces: [],
      enabled_labelselectors: [],
      options: {
        sidecar_mode: 'auto',
        mount_host_localtime: 'true',
      },
      images: {
        java_profiler_image: 'pubrepo.guance.com/datakit-operator/async-profiler:0.1.0',
        python_profiler_image: 'pubrepo.guance.com/datakit-operator/py-spy:0.1.0',
        golang_profiler_image: 'pubrepo.guance.com/datakit-operator/go-pprof:0.1.0',
      },
      envs: {
        DK_AGENT_HOST: 'datakit-service.datakit.svc',
        DK_AGENT_PORT: '9529',
        DK_PROFILE_VERSION: '1.2.333',
        DK_PROFILE_ENV: 'prod',
        DK_PROFILE_DURATION: '240',
        DK_PROFILE_SCHEDULE: '0 * * * *',
      },
      resources: {
        requests: { cpu: '100m', memory: '64Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      },
    },
  },
  namespace: '',
  kubernetes_version: 'auto',
  election: {
    store: 'auto',
    lease_duration_seconds: 30,
    interval_seconds: 3,
    max_scopes: 1000,
  },
} as const);

/** The defaults as `datakit-operator config default` prints them (no trailing newline): a document to start from. */
export function defaultConfigJson(): string {
  return JSON.stringify(DEFAULT_CONFIG_DOCUMENT, null, 2);
}
