import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from '../../config/load.ts';
import type { OperatorConfig } from '../../config/types.ts';
import { listInvariantViolations } from '../../mutation/invariants.ts';
import { mutatePod } from '../../mutation/mutate-pod.ts';
import type { MutationContext, Outcome } from '../../mutation/types.ts';
import type { Container, Pod } from '../../podspec/types.ts';
import { FEATURES } from '../registry.ts';
import { DOCUMENTED_IMAGES } from './constants.ts';

function configFrom(document: unknown): OperatorConfig {
  const result = parseConfigText(JSON.stringify(document), 'test', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value.config;
}

const javaRule = {
  name: 'java',
  namespace_selectors: ['default'],
  language: 'java',
  image: DOCUMENTED_IMAGES.java,
  envs: { POD_NAME: '{fieldRef:metadata.name}', CPU_LIMIT: '{resourceFieldRef:limits.cpu}' },
};
const otelConfig = configFrom({ admission_inject_v2: { otels: [javaRule] } });
const ddtraceJava = {
  namespace_selectors: ['default'],
  language: 'java',
  image: 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.60.4-ext',
};

function ctx(config: OperatorConfig = otelConfig): MutationContext {
  return { namespace: 'default', config, serverVersion: { major: 1, minor: 30 } };
}

function pod(spec: Partial<Pod['spec']> = {}, annotations: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', annotations },
    spec: { containers: [{ name: 'app', image: 'app:1' }], ...spec },
  };
}

function otelOf(result: { outcomes: readonly Outcome[] }): Outcome {
  const outcome = result.outcomes.find((candidate) => candidate.feature === 'otel');
  assert.ok(outcome, 'otel reports an outcome');
  return outcome;
}

const DDTRACE_MOUNT = { name: 'datakit-auto-instrument', mountPath: '/datadog-lib' };
const OTEL_MOUNT = { name: 'datakit-otel-auto-instrument', mountPath: '/otel-auto-instrumentation-java' };

interface SkipCase {
  readonly name: string;
  readonly pod: Pod;
  readonly config?: OperatorConfig;
  readonly reason: string;
  readonly warning: RegExp | undefined;
}

const skips: readonly SkipCase[] = [
  {
    name: 'otel.enabled false turns it off (Go ParseBool: "F")',
    pod: pod({}, { 'admission.datakit/otel.enabled': 'F' }),
    reason: 'feature-opted-out',
    warning: undefined,
  },
  {
    name: 'an unparsable otel.enabled counts as true',
    pod: pod({}, { 'admission.datakit/otel.enabled': 'no' }),
    reason: 'injected',
    warning: undefined,
  },
  {
    name: 'runAsNonRoot without runAsUser skips, naming upstream reason',
    pod: pod({ securityContext: { runAsNonRoot: true } }),
    reason: 'would-break-pod',
    warning: /reason=run_as_non_root_without_run_as_user pod=p namespace=default rule=.*language=java image=/,
  },
  {
    name: 'runAsNonRoot with runAsUser 0 skips',
    pod: pod({ securityContext: { runAsNonRoot: true, runAsUser: 0 } }),
    reason: 'would-break-pod',
    warning: /run_as_non_root_without_run_as_user/,
  },
  {
    name: "the first target container's runAsUser overrides the pod's (O2)",
    pod: pod({
      securityContext: { runAsNonRoot: true, runAsUser: 0 },
      containers: [{ name: 'app', image: 'app:1', securityContext: { runAsUser: 1000 } }],
    }),
    reason: 'injected',
    warning: undefined,
  },
  {
    name: 'a container outside container-names does not decide the runAsNonRoot check (O2)',
    pod: pod(
      {
        containers: [
          { name: 'side', image: 's:1', securityContext: { runAsNonRoot: true } },
          { name: 'app', image: 'app:1' },
        ],
      },
      { 'admission.datakit/container-names': 'app' },
    ),
    reason: 'injected',
    warning: undefined,
  },
  {
    name: "DDTrace's init container in the pod",
    pod: pod({ initContainers: [{ name: 'datakit-lib-init', image: 'dd:1' }] }),
    reason: 'other-tracer',
    warning: /DDTrace's init container "datakit-lib-init"/,
  },
  {
    name: "a target container mounting DDTrace's /datadog-lib/",
    pod: pod({
      containers: [
        { name: 'app', image: 'app:1', volumeMounts: [{ ...DDTRACE_MOUNT, mountPath: '/datadog-lib/' }] },
      ],
      volumes: [{ name: 'datakit-auto-instrument', emptyDir: {} }],
    }),
    reason: 'other-tracer',
    warning: /mounts DDTrace's \/datadog-lib\//,
  },
  {
    name: 'a volume of our name that is not an emptyDir',
    pod: pod({ volumes: [{ name: 'datakit-otel-auto-instrument', hostPath: { path: '/x' } }] }),
    reason: 'would-break-pod',
    warning: /not an emptyDir/,
  },
  {
    name: 'our volume mounted at another path',
    pod: pod({
      containers: [
        { name: 'app', image: 'app:1', volumeMounts: [{ ...OTEL_MOUNT, mountPath: '/elsewhere' }] },
      ],
      volumes: [{ name: 'datakit-otel-auto-instrument', emptyDir: {} }],
    }),
    reason: 'would-break-pod',
    warning: /at \/elsewhere, not at \/otel-auto-instrumentation-java/,
  },
  {
    name: 'another volume at our path',
    pod: pod({
      containers: [{ name: 'app', image: 'app:1', volumeMounts: [{ ...OTEL_MOUNT, name: 'data' }] }],
      volumes: [{ name: 'data', emptyDir: {} }],
    }),
    reason: 'would-break-pod',
    warning: /mounts volume "data" at \/otel-auto-instrumentation-java/,
  },
  {
    name: 'our mount with a subPath',
    pod: pod({
      containers: [{ name: 'app', image: 'app:1', volumeMounts: [{ ...OTEL_MOUNT, subPath: 'x' }] }],
      volumes: [{ name: 'datakit-otel-auto-instrument', emptyDir: {} }],
    }),
    reason: 'would-break-pod',
    warning: /subPath/,
  },
  {
    name: 'an init container of our name that is not ours',
    pod: pod({ initContainers: [{ name: 'datakit-otel-lib-init', image: 'busybox:1' }] }),
    reason: 'would-break-pod',
    warning: /is not the one this rule would add \(its image differs\)/,
  },
  {
    name: 'a regular container with our init container name',
    pod: pod({
      containers: [
        { name: 'app', image: 'app:1' },
        { name: 'datakit-otel-lib-init', image: 'x:1' },
      ],
    }),
    reason: 'would-break-pod',
    warning: /a container named "datakit-otel-lib-init" already exists/,
  },
  {
    name: 'JAVA_TOOL_OPTIONS with DDTrace agent',
    pod: pod({
      containers: [
        {
          name: 'app',
          image: 'app:1',
          env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-javaagent:/opt/dd-java-agent.jar' }],
        },
      ],
    }),
    reason: 'other-tracer',
    warning: /container "app": JAVA_TOOL_OPTIONS: it loads DDTrace's Java agent/,
  },
  {
    name: 'no container to instrument',
    pod: pod({ containers: [{ name: 'istio-proxy', image: 'istio:1' }] }),
    reason: 'no-target-containers',
    warning: /otel not injected: the pod has no container to instrument/,
  },
  {
    name: 'a version annotation that is a digest (O5)',
    pod: pod({}, { 'admission.datakit/otel-java-lib.version': 'sha256:0123456789abcdef0123456789abcdef' }),
    config: configFrom({ admission_inject_v2: { otels: [{ ...javaRule, check_annotation: true }] } }),
    reason: 'invalid-annotation',
    warning: /is not an image tag/,
  },
  {
    name: 'a version annotation of only whitespace (O5)',
    pod: pod({}, { 'admission.datakit/otel-java-lib.version': '  ' }),
    config: configFrom({ admission_inject_v2: { otels: [{ ...javaRule, check_annotation: true }] } }),
    reason: 'invalid-annotation',
    warning: /is not an image tag/,
  },
  {
    name: 'DDTrace selected the pod: OTel stands back, and says so (O4)',
    pod: pod(),
    config: configFrom({ admission_inject_v2: { ddtraces: [ddtraceJava], otels: [javaRule] } }),
    reason: 'other-tracer',
    warning:
      /ddtrace also chose this pod and takes precedence.*admission\.datakit\/ddtrace\.enabled: "false"/,
  },
  {
    name: 'DDTrace selected but cannot inject: still no OTel (O4)',
    pod: pod({
      containers: [
        {
          name: 'app',
          image: 'app:1',
          volumeMounts: [{ name: 'data', mountPath: '/datadog-lib' }],
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    }),
    config: configFrom({ admission_inject_v2: { ddtraces: [ddtraceJava], otels: [javaRule] } }),
    reason: 'other-tracer',
    warning: /ddtrace also chose this pod/,
  },
  {
    name: 'ddtrace.enabled false lets OTel in',
    pod: pod({}, { 'admission.datakit/ddtrace.enabled': 'false' }),
    config: configFrom({ admission_inject_v2: { ddtraces: [ddtraceJava], otels: [javaRule] } }),
    reason: 'injected',
    warning: undefined,
  },
];

describe('otel: the checks before injection', () => {
  for (const { name, pod: given, config, reason, warning } of skips) {
    it(name, () => {
      const frozen = structuredClone(given);
      const result = mutatePod(frozen, ctx(config), FEATURES);
      const outcome = otelOf(result);
      if (reason === 'injected') {
        assert.equal(outcome.status, 'injected', outcome.detail);
        return;
      }
      assert.equal(outcome.status, 'skipped');
      assert.equal(outcome.reason, reason, outcome.detail);
      if (outcome.status !== 'skipped') return;
      if (warning === undefined) assert.equal(outcome.warning, undefined);
      else {
        assert.match(outcome.warning ?? '', warning);
        assert.ok(result.warnings.includes(outcome.warning ?? ''), 'the skip is an admission warning (O6)');
      }
      const initNames = (result.pod.spec?.initContainers ?? []).map((c) => c.name);
      assert.ok(
        !initNames.includes('datakit-otel-lib-init') || given.spec?.initContainers?.length,
        'nothing of OTel added',
      );
      assert.deepEqual(
        result.pod.spec?.volumes?.filter((v) => v.name === 'datakit-otel-auto-instrument').length ?? 0,
        given.spec?.volumes?.filter((v) => v.name === 'datakit-otel-auto-instrument').length ?? 0,
      );
    });
  }
});

describe('otel: injection', () => {
  it('injects every target container, appends the rule envs after the language variable, and drops an undeclared resourceFieldRef', () => {
    const given = pod({
      containers: [
        { name: 'app', image: 'app:1', env: [{ name: 'POD_NAME', value: 'mine' }] },
        { name: 'worker', image: 'w:1', resources: { limits: { cpu: '1' } } },
      ],
    });
    const result = mutatePod(given, ctx(), FEATURES);
    assert.equal(otelOf(result).status, 'injected');
    assert.deepEqual(listInvariantViolations(result.pod), []);
    const [app, worker] = result.pod.spec?.containers as [Container, Container];
    assert.deepEqual(app.env, [
      { name: 'POD_NAME', value: 'mine' },
      { name: 'JAVA_TOOL_OPTIONS', value: '-javaagent:/otel-auto-instrumentation-java/javaagent.jar' },
    ]);
    assert.deepEqual(
      worker.env?.map((env) => env.name),
      ['JAVA_TOOL_OPTIONS', 'POD_NAME', 'CPU_LIMIT'],
    );
    assert.deepEqual(worker.env?.[2]?.valueFrom, {
      resourceFieldRef: { containerName: 'worker', resource: 'limits.cpu' },
    });
    for (const container of [app, worker]) assert.deepEqual(container.volumeMounts, [OTEL_MOUNT]);
    const init = result.pod.spec?.initContainers?.[0];
    assert.equal(init?.name, 'datakit-otel-lib-init');
    assert.equal(init?.imagePullPolicy, 'Always');
    assert.deepEqual(init?.command, [
      'cp',
      '/javaagent.jar',
      '/otel-auto-instrumentation-java/javaagent.jar',
    ]);
  });

  it('replaces the image tag from the annotation of a check_annotation rule', () => {
    const config = configFrom({
      admission_inject_v2: {
        otels: [{ ...javaRule, check_annotation: true, image_pull_policy: 'IfNotPresent' }],
      },
    });
    const result = mutatePod(
      pod({}, { 'admission.datakit/otel-java-lib.version': '2.30.0' }),
      ctx(config),
      FEATURES,
    );
    const init = result.pod.spec?.initContainers?.[0];
    assert.equal(
      init?.image,
      'ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.30.0',
    );
    assert.equal(init?.imagePullPolicy, 'IfNotPresent');
  });

  it('a second pass over the result changes nothing; DDTrace then stays out of the pod', () => {
    const first = mutatePod(pod(), ctx(), FEATURES);
    const config = configFrom({ admission_inject_v2: { ddtraces: [ddtraceJava], otels: [javaRule] } });
    for (const again of [ctx(), ctx(config)]) {
      const second = mutatePod(first.pod, again, FEATURES);
      assert.equal(second.changed, false);
      assert.equal(otelOf(second).reason, 'already-injected');
    }
    const ddtrace = mutatePod(first.pod, ctx(config), FEATURES).outcomes.find((o) => o.feature === 'ddtrace');
    assert.equal(ddtrace?.reason, 'other-tracer');
  });

  it('completes a pod whose init container is ours but a new container lacks the agent', () => {
    const first = mutatePod(pod(), ctx(), FEATURES).pod;
    const grown = structuredClone(first);
    grown.spec?.containers?.push({ name: 'late', image: 'late:1' });
    const result = mutatePod(grown, ctx(), FEATURES);
    assert.equal(otelOf(result).reason, 'reinvocation');
    assert.deepEqual(result.pod.spec?.containers?.[1]?.volumeMounts, [OTEL_MOUNT]);
  });

  it('takes no part without otels rules', () => {
    const result = mutatePod(pod(), ctx(configFrom({})), FEATURES);
    assert.equal(
      result.outcomes.find((outcome) => outcome.feature === 'otel'),
      undefined,
    );
  });
});
