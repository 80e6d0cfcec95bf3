// The decisions only the handler makes: fail open, all or nothing, per-injection invariant guard.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handleAdmission } from './handle.ts';
import { editPlan, injected, skipped } from '../mutation/outcomes.ts';
import type { Edit, Feature, FeaturePlan } from '../mutation/plan.ts';
import type { FeatureName } from '../mutation/types.ts';
import type { Pod } from '../podspec/types.ts';
import { buildReview, configFrom, decodePatch } from '../../test/support/admission.ts';

const config = configFrom();
const pod: Pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'app' }] } };

/** A feature that always asks for the pod and plans what `plan` returns. */
function featureThat(name: FeatureName, plan: () => FeaturePlan): Feature {
  return { name, select: () => ({ selected: true, plan }) };
}

function planning(name: FeatureName, edits: readonly Edit[]): Feature {
  return featureThat(name, () => editPlan(injected(name, 'annotation', 1, 'planned edits'), edits));
}

const addsSidecar = planning('logfwd', [
  { kind: 'add-container', list: 'containers', container: { name: 'sidecar' } },
]);
const throws = featureThat('profiler', () => {
  throw new Error('boom');
});
const breaksPod = planning('ddtrace', [
  { kind: 'add-container', list: 'containers', container: { name: 'app' } },
]);
const doesNothing: Feature = {
  name: 'ddtrace',
  select: () => ({ selected: false, outcome: skipped('ddtrace', 'not-targeted', 'no rule') }),
};

describe('handleAdmission', () => {
  it('fails open with no patch at all when an injector throws, even after another injected', () => {
    const decision = handleAdmission(buildReview(pod), {
      config,
      serverVersion: undefined,
      features: [addsSidecar, throws],
    });
    assert.equal(decision.result, 'failed-open');
    assert.equal(decision.review.response.allowed, true);
    assert.equal(decision.review.response.patch, undefined);
    assert.match(decision.review.response.warnings?.[0] ?? '', /^datakit-operator: injection failed.*boom/);
    assert.equal(decision.error?.message, 'boom');
  });

  it('rejects a plan that would make the pod invalid and applies the others', () => {
    const decision = handleAdmission(buildReview(pod), {
      config,
      serverVersion: undefined,
      features: [breaksPod, addsSidecar],
    });
    assert.equal(decision.result, 'mutated');
    const names = decodePatch(decision.review)
      .filter((op) => op.path.startsWith('/spec/containers'))
      .map((op) => (op as { value: { name: string } }).value.name);
    assert.deepEqual(names, ['sidecar']);
    assert.equal(decision.outcomes[0]?.status, 'skipped');
    assert.equal(decision.outcomes[0]?.reason, 'would-break-pod');
    assert.match(decision.review.response.warnings?.[0] ?? '', /container name "app" is used more than once/);
  });

  it('keeps what earlier features did when a later plan is rejected', () => {
    const decision = handleAdmission(buildReview(pod), {
      config,
      serverVersion: undefined,
      features: [addsSidecar, breaksPod],
    });
    const names = decodePatch(decision.review)
      .filter((op) => op.path.startsWith('/spec/containers'))
      .map((op) => (op as { value: { name: string } }).value.name);
    assert.deepEqual(names, ['sidecar']);
    assert.deepEqual(
      decision.outcomes.map((outcome) => [outcome.feature, outcome.status, outcome.reason]),
      [
        ['logfwd', 'injected', 'annotation'],
        ['ddtrace', 'skipped', 'would-break-pod'],
      ],
    );
  });

  it('rejects a plan that mounts a volume at a path the container uses for a device', () => {
    const withDevice: Pod = {
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [{ name: 'app', volumeDevices: [{ name: 'disk', devicePath: '/data' }] }],
        volumes: [{ name: 'disk', persistentVolumeClaim: { claimName: 'c' } }],
      },
    };
    const mountsOverDevice = planning('ddtrace', [
      { kind: 'add-volume', volume: { name: 'logs', emptyDir: {} } },
      {
        kind: 'add-mount',
        target: { list: 'containers', index: 0 },
        mount: { name: 'logs', mountPath: '/data' },
      },
    ]);
    const decision = handleAdmission(buildReview(withDevice), {
      config,
      serverVersion: undefined,
      features: [mountsOverDevice, addsSidecar],
    });
    assert.equal(decision.outcomes[0]?.reason, 'would-break-pod');
    assert.match(decision.warnings[0] ?? '', /container "app" mounts a volume at "\/data", its device path/);
    const paths = decodePatch(decision.review).map((op) => op.path);
    assert.ok(!paths.some((path) => path.includes('volumeMounts')), paths.join(', '));
    assert.ok(paths.includes('/spec/containers/1'), 'the other feature is applied');
  });

  it('rejects a plan that names a volume that does not exist, or duplicates an env', () => {
    const app = { list: 'containers', index: 0 } as const;
    const dangling = planning('ddtrace', [
      { kind: 'add-mount', target: app, mount: { name: 'nowhere', mountPath: '/x' } },
    ]);
    const duplicateEnv = planning('logfwd', [
      {
        kind: 'set-env',
        target: app,
        env: [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ],
      },
    ]);
    const decision = handleAdmission(buildReview(pod), {
      config,
      serverVersion: undefined,
      features: [dangling, duplicateEnv],
    });
    assert.equal(decision.result, 'mutated', 'only the warnings annotation is written');
    assert.deepEqual(
      decision.outcomes.map((outcome) => outcome.reason),
      ['would-break-pod', 'would-break-pod'],
    );
    assert.match(decision.warnings[0] ?? '', /mounts volume "nowhere", which does not exist/);
    assert.match(decision.warnings[1] ?? '', /defines env "A" more than once/);
  });

  it('answers allowed without a patch when nothing applies', () => {
    const decision = handleAdmission(buildReview(pod), {
      config,
      serverVersion: undefined,
      features: [doesNothing],
    });
    assert.equal(decision.result, 'unchanged');
    assert.deepEqual(decision.review.response, {
      uid: '00000000-0000-0000-0000-000000000001',
      allowed: true,
    });
  });

  it('echoes the request uid and reports the pod name or generateName for logs', () => {
    const generated: Pod = { metadata: { generateName: 'web-' }, spec: { containers: [{ name: 'app' }] } };
    const decision = handleAdmission(buildReview(generated, { uid: 'abc', namespace: 'ns1' }), {
      config,
      serverVersion: undefined,
      features: [doesNothing],
    });
    assert.equal(decision.review.response.uid, 'abc');
    assert.equal(decision.podName, 'web-');
    assert.equal(decision.namespace, 'ns1');
  });

  it('ignores a pod CREATE without an object', () => {
    const review = buildReview(undefined);
    assert.equal(handleAdmission(review, { config, serverVersion: undefined }).result, 'ignored');
  });
});
