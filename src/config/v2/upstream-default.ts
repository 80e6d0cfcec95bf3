// Upstream 1.8.10's shipped v2 configuration (its manifest's and chart's `jsonconfig`, reference §1.10),
// printed by `datakit-operator config default --v2` for users who start from upstream's rules. It is NOT
// this operator's default (that stays the manual's v1 block): as shipped, its Java rule needs no annotation,
// so it instruments every pod of the namespace, and its python, php and nodejs rules can never be chosen —
// loading it says so.

import { deepFreeze } from '../../podspec/deep-freeze.ts';

const OPERATOR_REPO = 'pubrepo.guance.com/datakit-operator';
const DATAKIT_REPO = 'pubrepo.guance.com/datakit';
const DATAKIT_HOST = 'datakit-service.datakit.svc.cluster.local';

const TRACE_ENVS = { DD_AGENT_HOST: DATAKIT_HOST, DD_TRACE_AGENT_PORT: '9529' };
const JMX_ENVS = { DD_JMXFETCH_STATSD_HOST: DATAKIT_HOST, DD_JMXFETCH_STATSD_PORT: '8125' };
const TAG_ENVS = {
  DD_SERVICE: "{fieldRef:metadata.labels['app']}",
  POD_NAME: '{fieldRef:metadata.name}',
  POD_NAMESPACE: '{fieldRef:metadata.namespace}',
  NODE_NAME: '{fieldRef:spec.nodeName}',
  DD_TAGS: 'pod_name:$(POD_NAME),pod_namespace:$(POD_NAMESPACE),host:$(NODE_NAME)',
};
const SIDECAR_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '200m', memory: '256Mi' },
};

function ddtraceRule(language: string, image: string, extra: Record<string, unknown>, jmx: boolean) {
  return {
    namespace_selectors: ['default'],
    label_selectors: [],
    check_annotation: false,
    language,
    ...extra,
    image: `${OPERATOR_REPO}/${image}`,
    envs: { ...TRACE_ENVS, ...(jmx ? JMX_ENVS : {}), ...TAG_ENVS },
  };
}

export const UPSTREAM_V2_DEFAULT_DOCUMENT = deepFreeze({
  server_listen: '0.0.0.0:9543',
  log_level: 'info',
  admission_inject_v2: {
    ddtraces: [
      ddtraceRule('java', 'dd-lib-java-init:v1.60.4-ext', {}, true),
      ddtraceRule('python', 'dd-lib-python-init:v2.21.12', {}, true),
      ddtraceRule('php', 'dd-lib-php-init:1.13.1', { php_loader_flavor: 'linux-gnu' }, false),
      ddtraceRule('nodejs', 'dd-lib-js-init:5.102.0', {}, false),
    ],
    logfwds: [
      {
        namespace_selectors: ['default'],
        label_selectors: [],
        image: `${DATAKIT_REPO}/logfwd:1.93.0`,
        log_configs: '',
        log_config_paths: [],
        log_volume_paths: [],
        envs: {
          LOGFWD_DATAKIT_HOST: '{fieldRef:status.hostIP}',
          LOGFWD_DATAKIT_PORT: '9533',
          LOGFWD_DATAKIT_OPERATOR_ENDPOINT: 'datakit-operator.datakit.svc:443',
          LOGFWD_GLOBAL_SERVICE: "{fieldRef:metadata.labels['app']}",
          LOGFWD_POD_NAME: '{fieldRef:metadata.name}',
          LOGFWD_POD_NAMESPACE: '{fieldRef:metadata.namespace}',
          LOGFWD_POD_IP: '{fieldRef:status.podIP}',
        },
        resources: SIDECAR_RESOURCES,
      },
    ],
    flameshots: [
      {
        namespace_selectors: ['default'],
        label_selectors: [],
        image: `${DATAKIT_REPO}/flameshot:0.2.1`,
        processes: '',
        enable_prometheus_annotations: true,
        envs: {
          FLAMESHOT_DATAKIT_ADDR: 'http://datakit-service.datakit:9529/profiling/v1/input',
          FLAMESHOT_MONITOR_INTERVAL: '10s',
          FLAMESHOT_LOG_LEVEL: 'info',
          FLAMESHOT_PROFILING_PATH: '/flameshot-data',
          FLAMESHOT_LOG_PATH: '/var/log/flameshot.log',
          FLAMESHOT_HTTP_LOCAL_PORT: '8089',
          FLAMESHOT_POD_CPU_LIMIT: '{resourceFieldRef:limits.cpu}',
          FLAMESHOT_POD_MEM_LIMIT: '{resourceFieldRef:limits.memory}',
        },
        resources: SIDECAR_RESOURCES,
      },
    ],
  },
  admission_mutate: {
    loggings: [{ namespace_selectors: [], label_selectors: [], config: '' }],
  },
} as const);

/** As `config default --v2` prints it (no trailing newline). */
export function upstreamV2DefaultJson(): string {
  return JSON.stringify(UPSTREAM_V2_DEFAULT_DOCUMENT, null, 2);
}
