// The decisions only the handler makes: fail open, all or nothing, per-injection invariant guard.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handleAdmission } from './handle.ts';
import { skipped, injected } from '../mutation/outcomes.ts';
import type { Injector } from '../mutation/types.ts';
import type { Pod } from '../podspec/types.ts';
import { buildReview, configFrom, decodePatch } from '../../test/support/admission.ts';

const config = configFrom();
const pod: Pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'app' }] } };

const addsSidecar: Injector = {
  name: 'logfwd',
  inject(draft) {
    draft.spec!.containers!.push({ name: 'sidecar' });
    return injected('logfwd', 'annotation', 1, 'added a sidecar');
  },
};
const throws: Injector = {
  name: 'profiler',
  inject(draft) {
    draft.spec!.containers!.push({ name: 'half-done' });
    throw new Error('boom');
  },
};
const breaksPod: Injector = {
  name: 'ddtrace',
  inject(draft) {
    draft.spec!.containers!.push({ name: 'app' });
    return injected('ddtrace', 'annotation', 'x', 'duplicated a container');
  },
};
const doesNothing: Injector = {
  name: 'ddtrace',
  inject: () => skipped('ddtrace', 'not-targeted', 'no rule'),
};

describe('handleAdmission', () => {
  it('fails open with no patch at all when an injector throws, even after another injected', () => {
    const decision = handleAdmission(buildReview(pod), {
      config,
      serverVersion: undefined,
      injectors: [addsSidecar, throws],
    });
    assert.equal(decision.result, 'failed-open');
    assert.equal(decision.review.response.allowed, true);
    assert.equal(decision.review.response.patch, undefined);
    assert.match(decision.review.response.warnings?.[0] ?? '', /^datakit-operator: injection failed.*boom/);
    assert.equal(decision.error?.message, 'boom');
  });

  it('undoes an injection that would make the pod invalid and keeps the others', () => {
    const decision = handleAdmission(buildReview(pod), {
      config,
      serverVersion: undefined,
      injectors: [breaksPod, addsSidecar],
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

  it('keeps what earlier injectors did when a later one is undone', () => {
    const decision = handleAdmission(buildReview(pod), {
      config,
      serverVersion: undefined,
      injectors: [addsSidecar, breaksPod],
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

  it('answers allowed without a patch when nothing applies', () => {
    const decision = handleAdmission(buildReview(pod), {
      config,
      serverVersion: undefined,
      injectors: [doesNothing],
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
      injectors: [doesNothing],
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
