import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseConfigText } from '../../config/load.ts';
import type { OperatorConfig } from '../../config/types.ts';
import { listInvariantViolations } from '../../mutation/invariants.ts';
import { mutatePod } from '../../mutation/mutate-pod.ts';
import type { MutationContext, Outcome } from '../../mutation/types.ts';
import type { Container, Pod, ServerVersion } from '../../podspec/types.ts';
import { podArbitrary } from '../../../test/support/pod-arbitrary.ts';
import { runFeature } from '../../../test/support/run-feature.ts';
import { profilerFeature } from './profiler.ts';
import { detailsOf } from '../../errors/problem.ts';

const JAVA = 'admission.datakit/java-profiler.version';

function configFrom(document: unknown = {}): OperatorConfig {
  const result = parseConfigText(JSON.stringify(document), 'test', {});
  if (!result.ok) throw new Error(`${result.error.message}\n${detailsOf(result.error).join('\n')}`);
  return result.value.config;
}

const DEFAULT_CONFIG = configFrom();

interface RunOptions {
  readonly config?: OperatorConfig;
  readonly serverVersion?: ServerVersion;
  readonly namespace?: string;
}

function run(pod: Pod, options: RunOptions = {}): { outcome: Outcome; draft: Pod } {
  const ctx: MutationContext = {
    namespace: options.namespace ?? 'default',
    config: options.config ?? DEFAULT_CONFIG,
    serverVersion: options.serverVersion,
  };
  return runFeature(profilerFeature, pod, ctx);
}

function javaPod(
  spec: Partial<NonNullable<Pod['spec']>> = {},
  annotations: Record<string, string> = {},
): Pod {
  return {
    metadata: { name: 'app', namespace: 'default', annotations: { [JAVA]: '', ...annotations } },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }], ...spec },
  };
}

function profilerOf(pod: Pod): Container | undefined {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return all.find((container) => container.name === 'datakit-profiler');
}

describe('profilerFeature skips and leaves the pod untouched', () => {
  const cases: { name: string; pod: Pod; reason: string; warning: RegExp | undefined }[] = [
    {
      name: 'when admission.datakit/profiler.enabled is false',
      pod: javaPod({}, { 'admission.datakit/profiler.enabled': 'false' }),
      reason: 'feature-opted-out',
      warning: undefined,
    },
    {
      name: 'when nothing targets the pod',
      pod: { metadata: { name: 'app' }, spec: { containers: [{ name: 'app' }] } },
      reason: 'not-targeted',
      warning: undefined,
    },
    {
      name: 'when the version annotation is not an image tag, with a warning naming it',
      pod: javaPod({}, { [JAVA]: 'not a tag!' }),
      reason: 'invalid-annotation',
      warning: /admission\.datakit\/java-profiler\.version/,
    },
    {
      name: 'when the only container is a mesh proxy',
      pod: javaPod({ containers: [{ name: 'istio-proxy' }] }),
      reason: 'no-target-containers',
      warning: undefined,
    },
    {
      name: 'when the user set shareProcessNamespace false',
      pod: javaPod({ shareProcessNamespace: false }),
      reason: 'would-break-pod',
      warning: /spec\.shareProcessNamespace/,
    },
    {
      name: 'when an ephemeral container already uses the name datakit-profiler',
      pod: javaPod({ ephemeralContainers: [{ name: 'datakit-profiler', image: 'debug:1' }] }),
      reason: 'would-break-pod',
      warning: /ephemeral container is named "datakit-profiler"/,
    },
    {
      name: 'when a user volume is already called datakit-profiler-volume',
      pod: javaPod({ volumes: [{ name: 'datakit-profiler-volume', emptyDir: {} }] }),
      reason: 'would-break-pod',
      warning: /volume named "datakit-profiler-volume"/,
    },
    {
      name: 'when every target container mounts another volume at /app/datakit-profiler',
      pod: javaPod({
        containers: [{ name: 'app', volumeMounts: [{ name: 'code', mountPath: '/app/datakit-profiler' }] }],
        volumes: [{ name: 'code', emptyDir: {} }],
      }),
      reason: 'would-break-pod',
      warning: /\/app\/datakit-profiler/,
    },
    {
      name: 'when both names for the /tmp volume are taken by user volumes',
      pod: javaPod({
        volumes: [
          { name: 'tmp', configMap: { name: 'x' } },
          { name: 'datakit-profiler-tmp', emptyDir: {} },
        ],
      }),
      reason: 'would-break-pod',
      warning: /"tmp" and "datakit-profiler-tmp"/,
    },
  ];
  for (const { name, pod, reason, warning } of cases) {
    it(name, () => {
      const { outcome, draft } = run(pod);
      assert.equal(outcome.status, 'skipped');
      assert.equal(outcome.reason, reason);
      assert.deepEqual(draft, pod);
      const text = outcome.status === 'skipped' ? outcome.warning : undefined;
      if (warning === undefined) assert.equal(text, undefined);
      else assert.match(text ?? '', warning);
    });
  }
});

describe('profilerFeature places the sidecar per sidecar_mode and never touches restartPolicy', () => {
  const cases: {
    name: string;
    mode: string;
    restartPolicy: string | undefined;
    version: ServerVersion | undefined;
    native: boolean;
    warns: boolean;
  }[] = [
    {
      name: 'auto, Deployment pod',
      mode: 'auto',
      restartPolicy: 'Always',
      version: { major: 1, minor: 30 },
      native: false,
      warns: false,
    },
    {
      name: 'auto, no restartPolicy',
      mode: 'auto',
      restartPolicy: undefined,
      version: undefined,
      native: false,
      warns: false,
    },
    {
      name: 'auto, Job pod on 1.30',
      mode: 'auto',
      restartPolicy: 'OnFailure',
      version: { major: 1, minor: 30 },
      native: true,
      warns: false,
    },
    {
      name: 'auto, Job pod on 1.28',
      mode: 'auto',
      restartPolicy: 'Never',
      version: { major: 1, minor: 28 },
      native: false,
      warns: true,
    },
    {
      name: 'auto, Job pod, unknown version',
      mode: 'auto',
      restartPolicy: 'OnFailure',
      version: undefined,
      native: false,
      warns: true,
    },
    {
      name: 'container, Job pod',
      mode: 'container',
      restartPolicy: 'Never',
      version: { major: 1, minor: 30 },
      native: false,
      warns: true,
    },
    {
      name: 'native on 1.29',
      mode: 'native',
      restartPolicy: 'Always',
      version: { major: 1, minor: 29 },
      native: true,
      warns: false,
    },
    {
      name: 'native on 1.28',
      mode: 'native',
      restartPolicy: 'Always',
      version: { major: 1, minor: 28 },
      native: false,
      warns: true,
    },
  ];
  for (const { name, mode, restartPolicy, version, native, warns } of cases) {
    it(`${name}: ${native ? 'native sidecar' : 'regular container'}${warns ? ' with a warning' : ''}`, () => {
      const config = configFrom({ admission_inject: { profiler: { options: { sidecar_mode: mode } } } });
      const pod = javaPod(restartPolicy === undefined ? {} : { restartPolicy });
      const { outcome, draft } = run(pod, { config, serverVersion: version });
      assert.equal(outcome.status, 'injected');
      assert.equal(draft.spec?.restartPolicy, restartPolicy);
      const inInit = draft.spec?.initContainers?.find((c) => c.name === 'datakit-profiler');
      const inApp = draft.spec?.containers?.find((c) => c.name === 'datakit-profiler');
      assert.equal(inInit !== undefined, native);
      assert.equal(inApp !== undefined, !native);
      if (inInit) assert.equal(inInit.restartPolicy, 'Always');
      const warnings = outcome.status === 'injected' ? outcome.warnings : [];
      assert.equal(warnings.length > 0, warns, warnings.join('\n'));
    });
  }
});

describe('profilerFeature process namespace', () => {
  it('sets shareProcessNamespace true', () => {
    assert.equal(run(javaPod()).draft.spec?.shareProcessNamespace, true);
  });
  it('keeps a shareProcessNamespace the user already set to true', () => {
    const { outcome, draft } = run(javaPod({ shareProcessNamespace: true }));
    assert.equal(outcome.status, 'injected');
    assert.equal(draft.spec?.shareProcessNamespace, true);
  });
  it('does not set it beside hostPID, which Kubernetes rejects together with it', () => {
    const { outcome, draft } = run(javaPod({ hostPID: true }));
    assert.equal(outcome.status, 'injected');
    assert.equal(draft.spec?.shareProcessNamespace, undefined);
    assert.equal(draft.spec?.hostPID, true);
  });
});

describe('profilerFeature image and summary', () => {
  const cases = [
    { annotation: '0.4.4', image: 'pubrepo.guance.com/datakit-operator/async-profiler:0.4.4' },
    { annotation: 'latest', image: 'pubrepo.guance.com/datakit-operator/async-profiler:latest' },
    { annotation: '', image: 'pubrepo.guance.com/datakit-operator/async-profiler:0.1.0' },
  ];
  for (const { annotation, image } of cases) {
    it(`java-profiler.version "${annotation}" runs ${image}`, () => {
      const { outcome, draft } = run(javaPod({}, { [JAVA]: annotation }));
      assert.equal(profilerOf(draft)?.image, image);
      assert.equal(outcome.status === 'injected' ? outcome.summary : undefined, `java:${image}`);
    });
  }
});

describe('profilerFeature is idempotent and completes re-invocations', () => {
  for (const serverVersion of [undefined, { major: 1, minor: 30 }]) {
    const where = serverVersion ? 'native sidecar' : 'regular container';
    const pod = javaPod({ restartPolicy: 'Never' });

    it(`changes nothing on its own output (${where})`, () => {
      const first = run(pod, { serverVersion }).draft;
      const { outcome, draft } = run(first, { serverVersion });
      assert.equal(outcome.status, 'skipped');
      assert.equal(outcome.reason, 'already-injected');
      assert.deepEqual(draft, first);
    });

    it(`mounts the shared directories in a container another webhook added, and adds no second sidecar (${where})`, () => {
      const first = run(pod, { serverVersion }).draft;
      first.spec?.containers?.push({ name: 'late', image: 'late:1' });
      const { outcome, draft } = run(first, { serverVersion });
      assert.equal(outcome.status, 'injected');
      assert.equal(outcome.reason, 'reinvocation');
      const late = draft.spec?.containers?.find((c) => c.name === 'late');
      assert.deepEqual(late?.volumeMounts, [
        { name: 'datakit-profiler-volume', mountPath: '/app/datakit-profiler' },
        { name: 'tmp', mountPath: '/tmp' },
      ]);
      const sidecars = [...(draft.spec?.containers ?? []), ...(draft.spec?.initContainers ?? [])].filter(
        (c) => c.name === 'datakit-profiler',
      );
      assert.equal(sidecars.length, 1);
    });
  }

  it("re-invocation reuses the sidecar's own /tmp volume, whatever its name", () => {
    const pod = javaPod({ volumes: [{ name: 'tmp', secret: { secretName: 's' } }] });
    const first = run(pod).draft;
    first.spec?.containers?.push({ name: 'late' });
    const late = run(first).draft.spec?.containers?.find((c) => c.name === 'late');
    assert.deepEqual(late?.volumeMounts?.[1], { name: 'datakit-profiler-tmp', mountPath: '/tmp' });
  });

  it('reports the image of the sidecar already there, not a newly asked-for tag', () => {
    const first = run(javaPod({}, { [JAVA]: '0.4.4' })).draft;
    first.spec?.containers?.push({ name: 'late' });
    first.metadata!.annotations![JAVA] = '0.5.0';
    const { outcome } = run(first);
    assert.equal(
      outcome.status === 'injected' ? outcome.summary : undefined,
      'java:pubrepo.guance.com/datakit-operator/async-profiler:0.4.4',
    );
  });
});

describe('profilerFeature over generated pods', () => {
  const annotated = fc
    .tuple(
      podArbitrary,
      fc.constantFrom(
        'admission.datakit/java-profiler.version',
        'admission.datakit/python-profiler.version',
        'admission.datakit/golang-profiler.version',
      ),
      fc.constantFrom('', 'latest', '0.4.4'),
      fc.constantFrom<ServerVersion | undefined>(undefined, { major: 1, minor: 28 }, { major: 1, minor: 31 }),
    )
    .map(([{ pod, namespace }, key, tag, serverVersion]) => {
      pod.metadata = { ...pod.metadata, annotations: { ...pod.metadata?.annotations, [key]: tag } };
      return { pod, namespace, serverVersion };
    });

  it('keeps the pod valid, keeps restartPolicy, and a second pass changes nothing (300 pods)', () => {
    fc.assert(
      fc.property(annotated, ({ pod, namespace, serverVersion }) => {
        const ctx: MutationContext = { namespace, config: DEFAULT_CONFIG, serverVersion };
        const first = mutatePod(pod, ctx, [profilerFeature]);
        assert.deepEqual(listInvariantViolations(first.pod), []);
        assert.equal(first.pod.spec?.restartPolicy, pod.spec?.restartPolicy);
        const outcome = first.outcomes[0];
        if (outcome?.status === 'injected') {
          assert.ok(profilerOf(first.pod), 'an injected outcome adds the sidecar');
          const sidecar = profilerOf(first.pod)!;
          assert.deepEqual(
            sidecar.volumeMounts?.slice(0, 2).map((m) => m.mountPath),
            ['/app/datakit-profiler', '/tmp'],
          );
        }
        const second = mutatePod(first.pod, ctx, [profilerFeature]);
        assert.equal(second.changed, false, JSON.stringify(second.outcomes));
      }),
      { numRuns: 300 },
    );
  });
});

describe('profilerFeature shares the /tmp volume it adds with every target container', () => {
  it('mounts the new tmp emptyDir in each container, without a warning', () => {
    const pod = javaPod({
      containers: [
        { name: 'app', image: 'registry.example.com/app:1' },
        { name: 'worker', image: 'registry.example.com/worker:1' },
      ],
    });
    const { outcome, draft } = run(pod);
    assert.equal(outcome.status, 'injected');
    assert.deepEqual(outcome.status === 'injected' ? outcome.warnings : undefined, []);
    assert.ok(draft.spec?.volumes?.some((volume) => volume.name === 'tmp' && volume.emptyDir !== undefined));
    for (const container of draft.spec?.containers ?? []) {
      assert.ok(
        container.volumeMounts?.some((mount) => mount.name === 'tmp' && mount.mountPath === '/tmp'),
        `container "${container.name}" mounts the shared /tmp`,
      );
    }
  });
});
