import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseConfigText } from '../../config/load.ts';
import type { OperatorConfig } from '../../config/types.ts';
import { listInvariantViolations } from '../../mutation/invariants.ts';
import type { MutationContext, Outcome } from '../../mutation/types.ts';
import type { Container, Pod, VolumeMount } from '../../podspec/types.ts';
import { runFeature } from '../../../test/support/run-feature.ts';
import { logfwdFeature } from './logfwd.ts';

const INSTANCES = 'admission.datakit/logfwd.instances';

function configFrom(document: unknown): OperatorConfig {
  const result = parseConfigText(JSON.stringify(document), 'test', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value.config;
}

const defaults = configFrom({});

function contextWith(config: OperatorConfig = defaults): MutationContext {
  return { namespace: 'default', config, serverVersion: { major: 1, minor: 30 } };
}

function instances(...logfiles: string[][]): string {
  return JSON.stringify(
    logfiles.map((files) => ({ datakit_addr: 'dk:9533', loggings: [{ logfiles: files }] })),
  );
}

function podWith(
  annotations: Record<string, string>,
  containers: Container[],
  extraVolumes: string[] = [],
): Pod {
  const volumes = [
    ...new Set([
      ...containers.flatMap((container) => (container.volumeMounts ?? []).map((mount) => mount.name)),
      ...extraVolumes,
    ]),
  ].map((name) => ({ name, emptyDir: {} }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', annotations },
    spec: volumes.length > 0 ? { containers, volumes } : { containers },
  };
}

function run(pod: Pod, ctx: MutationContext = contextWith()): { outcome: Outcome; draft: Pod } {
  return runFeature(logfwdFeature, pod, ctx);
}

function sidecars(pod: Pod): Container[] {
  const spec = pod.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c) =>
    c.name.startsWith('datakit-logfwd'),
  );
}

describe('logfwd injector skips, leaving the pod unchanged', () => {
  const manual = instances(['/var/log/log-test/*.log']);
  const cases = [
    {
      name: 'without the instances annotation',
      pod: podWith({}, [{ name: 'app' }]),
      reason: 'not-targeted',
      warns: false,
    },
    ...['false', '0', 'F'].map((value) => ({
      name: `when admission.datakit/logfwd.enabled is "${value}"`,
      pod: podWith({ [INSTANCES]: manual, 'admission.datakit/logfwd.enabled': value }, [{ name: 'app' }]),
      reason: 'feature-opted-out',
      warns: false,
    })),
    {
      name: 'with an invalid annotation, warning the user',
      pod: podWith({ [INSTANCES]: '[{' }, [{ name: 'app' }]),
      reason: 'invalid-annotation',
      warns: true,
    },
    {
      name: 'when only mesh proxies could share the logs',
      pod: podWith({ [INSTANCES]: manual }, [{ name: 'istio-proxy' }]),
      reason: 'no-target-containers',
      warns: true,
    },
    {
      name: 'when a sidecar name is taken by a container the operator did not add',
      pod: podWith({ [INSTANCES]: instances(['/a/x.log'], ['/b/x.log']) }, [
        { name: 'app' },
        { name: 'datakit-logfwd-2' },
      ]),
      reason: 'would-break-pod',
      warns: true,
    },
  ];
  for (const { name, pod, reason, warns } of cases) {
    it(name, () => {
      const { outcome, draft } = run(pod);
      assert.equal(outcome.status, 'skipped');
      assert.equal(outcome.reason, reason);
      assert.equal(outcome.status === 'skipped' && outcome.warning !== undefined, warns);
      assert.deepEqual(draft, pod);
    });
  }

  it('injects when admission.datakit/logfwd.enabled does not parse as false', () => {
    const pod = podWith({ [INSTANCES]: manual, 'admission.datakit/logfwd.enabled': 'maybe' }, [
      { name: 'app' },
    ]);
    assert.equal(run(pod).outcome.status, 'injected');
  });
});

describe('logfwd injector builds the sidecar', () => {
  it('orders configured envs, the pod fieldRefs and the instance, keeping references working', () => {
    const config = configFrom({
      admission_inject: {
        logfwd: {
          envs: {
            LOGFWD_GLOBAL_SERVICE: '$(LOGFWD_POD_NAMESPACE)-svc',
            LOGFWD_DATAKIT_HOST: '{fieldRef:status.hostIP}',
            LOGFWD_JSON_CONFIG: '[]',
          },
        },
      },
    });
    const pod = podWith({ [INSTANCES]: instances(['/var/log/a.log']) }, [{ name: 'app' }]);
    const [sidecar] = sidecars(run(pod, contextWith(config)).draft);
    assert.deepEqual(sidecar?.env, [
      { name: 'LOGFWD_DATAKIT_HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'LOGFWD_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'LOGFWD_POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'LOGFWD_GLOBAL_SERVICE', value: '$(LOGFWD_POD_NAMESPACE)-svc' },
      { name: 'LOGFWD_JSON_CONFIG', value: instances(['/var/log/a.log']) },
    ]);
  });

  it('keeps a configured LOGFWD_POD_NAME instead of the fieldRef', () => {
    const config = configFrom({ admission_inject: { logfwd: { envs: { LOGFWD_POD_NAME: 'fixed' } } } });
    const pod = podWith({ [INSTANCES]: instances(['/var/log/a.log']) }, [{ name: 'app' }]);
    const [sidecar] = sidecars(run(pod, contextWith(config)).draft);
    assert.deepEqual(
      sidecar?.env?.map((env) => env.name),
      ['LOGFWD_POD_NAME', 'LOGFWD_POD_NAMESPACE', 'LOGFWD_JSON_CONFIG'],
    );
    assert.equal(sidecar?.env?.[0]?.value, 'fixed');
  });

  it('gives each instance its own sidecar holding only that instance', () => {
    const pod = podWith({ [INSTANCES]: instances(['/a/x.log'], ['/b/x.log'], ['/a/y.log']) }, [
      { name: 'app' },
    ]);
    const { outcome, draft } = run(pod);
    assert.equal(outcome.status === 'injected' && outcome.summary, 3);
    const made = sidecars(draft);
    assert.deepEqual(
      made.map((sidecar) => sidecar.name),
      ['datakit-logfwd', 'datakit-logfwd-2', 'datakit-logfwd-3'],
    );
    made.forEach((sidecar, index) => {
      const config = sidecar.env?.find((env) => env.name === 'LOGFWD_JSON_CONFIG')?.value ?? '';
      assert.deepEqual(JSON.parse(config), [JSON.parse(pod.metadata?.annotations?.[INSTANCES] ?? '')[index]]);
    });
  });

  it('copies the resources from the frozen config and runs as the first target container', () => {
    const pod = podWith({ [INSTANCES]: instances(['/var/log/a.log']) }, [
      { name: 'app', securityContext: { runAsUser: 1000, runAsNonRoot: true } },
    ]);
    const [sidecar] = sidecars(run(pod).draft);
    assert.deepEqual(sidecar?.resources, defaults.admission_inject.logfwd.resources);
    assert.notEqual(sidecar?.resources, defaults.admission_inject.logfwd.resources);
    assert.equal(Object.isFrozen(sidecar?.resources?.limits), false);
    assert.deepEqual(sidecar?.securityContext, {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
      runAsNonRoot: true,
      runAsUser: 1000,
    });
  });

  it('leaves runAs* unset for an app that sets no identity (a root app keeps a root-readable sidecar)', () => {
    const pod = podWith({ [INSTANCES]: instances(['/var/log/a.log']) }, [{ name: 'app' }]);
    const [sidecar] = sidecars(run(pod).draft);
    assert.equal(sidecar?.securityContext?.runAsUser, undefined);
    assert.equal(sidecar?.securityContext?.runAsNonRoot, undefined);
  });
});

describe('logfwd injector on an already-injected pod', () => {
  const annotations = { [INSTANCES]: instances(['/var/log/a/*.log'], ['/var/log/b.log', '/srv/x.log']) };

  it('changes nothing on its own output', () => {
    const { draft: once } = run(podWith(annotations, [{ name: 'app' }, { name: 'worker' }]));
    const { outcome, draft: twice } = run(once);
    assert.equal(outcome.reason, 'already-injected');
    assert.deepEqual(twice, once);
  });

  it('gives a container added later the read-write mounts of the operator volumes only', () => {
    const reused = configFrom({ admission_inject: { logfwd: { options: { reuse_exist_volume: 'true' } } } });
    const appMounts: VolumeMount[] = [{ name: 'own', mountPath: '/srv' }];
    const { draft: once } = run(
      podWith(annotations, [{ name: 'app', volumeMounts: appMounts }]),
      contextWith(reused),
    );
    once.spec?.containers?.push({ name: 'late', image: 'late:1' });
    const { outcome, draft } = run(once, contextWith(reused));
    assert.equal(outcome.status, 'injected');
    assert.equal(outcome.reason, 'reinvocation');
    assert.equal(outcome.status === 'injected' && outcome.summary, 2);
    assert.deepEqual(draft.spec?.containers?.find((c) => c.name === 'late')?.volumeMounts, [
      { name: 'datakit-logfwd-volume-0', mountPath: '/var/log' },
    ]);
    assert.equal(sidecars(draft).length, 2);
  });

  it('warns when a container added later already mounts another volume at a log directory', () => {
    const { draft: once } = run(podWith(annotations, [{ name: 'app' }]));
    once.spec?.containers?.push({ name: 'late', volumeMounts: [{ name: 'mine', mountPath: '/srv' }] });
    once.spec?.volumes?.push({ name: 'mine', emptyDir: {} });
    const { outcome, draft } = run(once);
    assert.equal(outcome.status, 'injected');
    assert.deepEqual(outcome.status === 'injected' && outcome.warnings, [
      'container "late" already mounts another volume at /srv: the logfwd sidecar cannot read the files it writes there',
    ]);
    assert.equal(listInvariantViolations(draft).length, 0);
  });
});

describe('logfwd injector over generated pods', () => {
  const paths = ['/var/log', '/var/log/', '/var/log/app', '/data', '/srv/logs', '/tmp'];
  const mountArbitrary = fc.record({
    volume: fc.constantFrom('v1', 'v2', 'datakit-logfwd-volume-0'),
    path: fc.constantFrom(...paths),
  });
  const containerArbitrary = fc.record({
    name: fc.constantFrom('app', 'worker', 'istio-proxy', 'datakit-logfwd-3'),
    mounts: fc.uniqueArray(mountArbitrary, { selector: (mount) => mount.path, maxLength: 3 }),
  });
  const logfile = fc.constantFrom(
    '/var/log/*.log',
    '/var/log/app/x.log',
    '/var/log/**/y.log',
    '/data/logs/a.log',
    '/srv/logs/*.log',
    '/tmp/t.log',
  );
  const configs = ['true', 'false'].flatMap((reuse) =>
    ['auto', 'native', 'container'].map((mode) =>
      configFrom({
        admission_inject: { logfwd: { options: { reuse_exist_volume: reuse, sidecar_mode: mode } } },
      }),
    ),
  );

  it('never makes a valid pod invalid, and a second pass changes nothing', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(containerArbitrary, {
          selector: (container) => container.name,
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(fc.array(logfile, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: configs.length - 1 }),
        fc.constantFrom(undefined, 'Never', 'Always'),
        (generated, logfiles, configIndex, restartPolicy) => {
          const containers: Container[] = generated.map(({ name, mounts }) => ({
            name,
            volumeMounts: mounts.map(({ volume, path }) => ({ name: volume, mountPath: path })),
          }));
          const pod = podWith({ [INSTANCES]: instances(...logfiles) }, containers);
          if (restartPolicy !== undefined && pod.spec) pod.spec.restartPolicy = restartPolicy;
          const ctx = { ...contextWith(configs[configIndex]), serverVersion: undefined };
          const { outcome, draft } = run(pod, ctx);
          assert.deepEqual(listInvariantViolations(draft), []);
          if (outcome.status === 'skipped') assert.deepEqual(draft, pod);
          const again = run(draft, ctx);
          assert.equal(again.outcome.status, 'skipped');
          assert.deepEqual(again.draft, draft);
        },
      ),
      { numRuns: 300 },
    );
  });
});
