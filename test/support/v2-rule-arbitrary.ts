// Random `admission_inject_v2.ddtraces` (and `otels`) lists for the property tests, and an independent model of which
// rule applies to a pod (reference §1.4, §1.6): anchored literal namespaces or `*`, `key=value` labels,
// AND across the two dimensions, a rule with neither never matches, `check_annotation` needs the
// `<language>-lib.version` annotation, first rule in array order wins. The model is written from the
// reference, not from src/matching/v2-rules.ts, so the two can disagree.

import fc from 'fast-check';
import type { Pod } from '../../src/podspec/types.ts';

const LANGUAGES = ['java', 'python', 'php', 'nodejs'] as const;
type Language = (typeof LANGUAGES)[number];
const OTEL_LANGUAGES = ['java', 'python', 'nodejs'] as const;

export interface ModelRule {
  readonly namespaces: readonly string[];
  readonly labels: readonly (readonly [string, string])[];
  readonly checkAnnotation: boolean;
  readonly language: Language;
}

const OTEL_IMAGES: Readonly<Record<(typeof OTEL_LANGUAGES)[number], string>> = {
  java: 'ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.29.0',
  python: 'ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-python:0.64b0',
  nodejs: 'ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-nodejs:0.78.0',
};

/** The version annotation a ddtraces rule with check_annotation needs. */
export const ddtraceAnnotation = (language: string): string => `admission.datakit/${language}-lib.version`;
/** The version annotation an otels rule with check_annotation needs. */
export const otelAnnotation = (language: string): string => `admission.datakit/otel-${language}-lib.version`;

const IMAGES: Readonly<Record<Language, string>> = {
  java: 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.60.4-ext',
  python: 'pubrepo.guance.com/datakit-operator/dd-lib-python-init:v2.21.12',
  php: 'pubrepo.guance.com/datakit-operator/dd-lib-php-init:1.13.1',
  nodejs: 'pubrepo.guance.com/datakit-operator/dd-lib-js-init:5.102.0',
};

const ruleArbitrary: fc.Arbitrary<ModelRule> = fc.record({
  namespaces: fc.uniqueArray(
    fc.constantFrom('default', 'testns', 'team-a', 'default-foo', 'middleware', '*'),
    {
      maxLength: 2,
    },
  ),
  labels: fc.uniqueArray(
    fc.tuple(fc.constantFrom('app', 'tier', 'env'), fc.constantFrom('web', 'backend', 'prod')),
    { maxLength: 2, selector: ([key, value]) => `${key}=${value}` },
  ),
  checkAnnotation: fc.boolean(),
  language: fc.constantFrom(...LANGUAGES),
});

const otelRuleArbitrary: fc.Arbitrary<ModelRule> = ruleArbitrary.chain((rule) =>
  fc.constantFrom(...OTEL_LANGUAGES).map((language) => ({ ...rule, language })),
);

export const v2ConfigArbitrary = fc
  .record({
    rules: fc.array(ruleArbitrary, { minLength: 1, maxLength: 4 }),
    pullPolicy: fc.constantFrom(undefined, 'Always', 'IfNotPresent', 'Never'),
    flavor: fc.constantFrom(undefined, 'linux-gnu', 'linux-musl'),
    envs: fc.constantFrom(
      {},
      { DD_AGENT_HOST: 'datakit-service.datakit.svc', DD_SERVICE: "{fieldRef:metadata.labels['app']}" },
    ),
    loggings: fc.array(ruleArbitrary, { maxLength: 2 }),
    flameshots: fc.array(ruleArbitrary, { maxLength: 2 }),
    logfwds: fc.array(ruleArbitrary, { maxLength: 2 }),
    otels: fc.array(otelRuleArbitrary, { maxLength: 3 }),
    otelEnvs: fc.constantFrom(
      {},
      {
        POD_NAME: '{fieldRef:metadata.name}',
        OTEL_RESOURCE_ATTRIBUTES: 'k8s.pod.name=$(POD_NAME)',
        OTEL_CPU: '{resourceFieldRef:limits.cpu}',
      },
    ),
    flameshotPort: fc.constantFrom('8089', '9090'),
    logPaths: fc.uniqueArray(
      fc.constantFrom('/var/log/app/*.log', '/var/log/app.log', '/data/logs/a/b.log', '/tmp/x'),
      {
        maxLength: 3,
      },
    ),
  })
  .map(
    ({
      rules,
      pullPolicy,
      flavor,
      envs,
      loggings,
      logPaths,
      flameshots,
      flameshotPort,
      logfwds,
      otels,
      otelEnvs,
    }) => ({
      rules,
      otels,
      document: {
        admission_inject_v2: {
          ddtraces: rules.map((rule) => ({
            namespace_selectors: rule.namespaces,
            label_selectors: rule.labels.map(([key, value]) => `${key}=${value}`),
            check_annotation: rule.checkAnnotation,
            language: rule.language,
            image: IMAGES[rule.language],
            envs,
            ...(pullPolicy === undefined ? {} : { image_pull_policy: pullPolicy }),
            ...(rule.language === 'php' && flavor !== undefined ? { php_loader_flavor: flavor } : {}),
          })),
          logfwds: logfwds.map((rule) => ({
            namespace_selectors: rule.namespaces,
            label_selectors: rule.labels.map(([key, value]) => `${key}=${value}`),
            check_annotation: rule.checkAnnotation,
            image: 'pubrepo.guance.com/datakit/logfwd:1.93.0',
            log_configs: JSON.stringify(logPaths.map((path) => ({ type: 'file', path }))),
            log_volume_paths: ['/opt/logs'],
            envs: { LOGFWD_POD_NAME: '{fieldRef:metadata.name}' },
          })),
          otels: otels.map((rule) => ({
            namespace_selectors: rule.namespaces,
            label_selectors: rule.labels.map(([key, value]) => `${key}=${value}`),
            check_annotation: rule.checkAnnotation,
            language: rule.language,
            image: OTEL_IMAGES[rule.language as (typeof OTEL_LANGUAGES)[number]],
            envs: otelEnvs,
            ...(pullPolicy === undefined ? {} : { image_pull_policy: pullPolicy }),
          })),
          flameshots: flameshots.map((rule) => ({
            namespace_selectors: rule.namespaces,
            label_selectors: rule.labels.map(([key, value]) => `${key}=${value}`),
            image: 'pubrepo.guance.com/datakit/flameshot:0.2.1',
            processes: 'java',
            enable_prometheus_annotations: rule.checkAnnotation,
            envs: {
              FLAMESHOT_PROFILING_PATH: '/flameshot-data',
              FLAMESHOT_HTTP_LOCAL_PORT: flameshotPort,
              FLAMESHOT_POD_CPU_LIMIT: '{resourceFieldRef:limits.cpu}',
            },
          })),
        },
        // The `datakit/logs` mutation's rules use the same selectors.
        admission_mutate: {
          loggings: loggings.map((rule) => ({
            namespace_selectors: rule.namespaces,
            label_selectors: rule.labels.map(([key, value]) => `${key}=${value}`),
            config: JSON.stringify(logPaths.map((path) => ({ type: 'file', path, source: 'app' }))),
          })),
        },
      },
    }),
  );

/** Version annotations of the v2 languages (the pod generator knows only v1's). */
export const v2VersionAnnotations = fc.dictionary(
  fc.constantFrom(...LANGUAGES.map(ddtraceAnnotation), ...OTEL_LANGUAGES.map(otelAnnotation)),
  fc.constantFrom('', 'v9.9.9'),
  { maxKeys: 3 },
);

/**
 * The language the first applying rule injects, or undefined when no rule applies. `annotationKey`: the
 * version annotation a rule with check_annotation needs (ddtraces by default).
 */
export function v2ExpectedLanguage(
  rules: readonly ModelRule[],
  namespace: string,
  pod: Pod,
  annotationKey: (language: string) => string = ddtraceAnnotation,
): Language | undefined {
  const labels = pod.metadata?.labels ?? {};
  const annotations = pod.metadata?.annotations ?? {};
  for (const rule of rules) {
    if (rule.namespaces.length === 0 && rule.labels.length === 0) continue;
    const namespaceOk =
      rule.namespaces.length === 0 || rule.namespaces.some((ns) => ns === '*' || ns === namespace);
    const labelsOk = rule.labels.length === 0 || rule.labels.some(([key, value]) => labels[key] === value);
    if (!namespaceOk || !labelsOk) continue;
    if (rule.checkAnnotation && !Object.hasOwn(annotations, annotationKey(rule.language))) {
      continue;
    }
    return rule.language;
  }
  return undefined;
}
