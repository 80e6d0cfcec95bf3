import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../../test/support/admission.ts';
import { MAX_TOTAL_ANNOTATION_BYTES } from './limits.ts';
import { mutatePod } from './mutate-pod.ts';
import { ANNOTATION_WARNINGS } from './operator-names.ts';
import { editPlan, injected } from './outcomes.ts';
import type { Feature } from './plan.ts';
import { FEATURES } from '../injectors/registry.ts';
import type { Pod } from '../podspec/types.ts';

const ctx = { namespace: 'default', config: configFrom(), serverVersion: undefined };

describe('mutatePod', () => {
  it('answers a pod no feature targets with the received object itself (no copy)', () => {
    const pod: Pod = Object.freeze({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app' }] } });
    const result = mutatePod(pod, ctx, FEATURES);
    assert.equal(result.pod, pod);
    assert.equal(result.changed, false);
    assert.deepEqual(
      result.outcomes.map((outcome) => [outcome.feature, outcome.reason]),
      [
        ['ddtrace', 'not-targeted'],
        ['logfwd', 'not-targeted'],
        ['profiler', 'not-targeted'],
      ],
    );
  });

  it('writes no status annotation that would take the pod over the API server limit', () => {
    const filler = 'x'.repeat(MAX_TOTAL_ANNOTATION_BYTES - 200);
    const warns: Feature = {
      name: 'ddtrace',
      select: () => ({
        selected: true,
        plan: () =>
          editPlan(injected('ddtrace', 'annotation', 'java:image', 'done', ['a warning '.repeat(30)]), [
            { kind: 'add-volume', volume: { name: 'v', emptyDir: {} } },
          ]),
      }),
    };
    const pod: Pod = { metadata: { annotations: { big: filler } }, spec: { containers: [{ name: 'app' }] } };
    const result = mutatePod(pod, ctx, [warns]);
    assert.equal(result.changed, true);
    const annotations = result.pod.metadata?.annotations ?? {};
    assert.equal(annotations[ANNOTATION_WARNINGS], undefined);
    assert.ok(annotations['admission.datakit/injected'], 'the small injected annotation still fits');
    const total = Object.entries(annotations).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
    assert.ok(total <= MAX_TOTAL_ANNOTATION_BYTES, `${total} bytes`);
    assert.match(result.warnings.at(-1) ?? '', /annotation admission.datakit\/warnings was not written/);

    const full: Pod = {
      metadata: { annotations: { big: 'x'.repeat(MAX_TOTAL_ANNOTATION_BYTES - 20) } },
      spec: { containers: [{ name: 'app' }] },
    };
    const none = mutatePod(full, ctx, [warns]);
    assert.deepEqual(Object.keys(none.pod.metadata?.annotations ?? {}), ['big']);
    assert.match(none.warnings.at(-1) ?? '', /status annotations were not written/);
  });

  it('plans nothing for a pod whose own annotations are over the API server limit, and says why', () => {
    let planned = 0;
    const targets = (name: 'ddtrace' | 'logfwd'): Feature => ({
      name,
      select: () => ({
        selected: true,
        plan: () => {
          planned += 1;
          return editPlan(injected(name, 'annotation', 'x', 'done'), []);
        },
      }),
    });
    const ignores: Feature = {
      name: 'profiler',
      select: () => ({
        selected: false,
        outcome: { feature: 'profiler', status: 'skipped', reason: 'not-targeted', detail: 'no' },
      }),
    };
    const big = 'x'.repeat(MAX_TOTAL_ANNOTATION_BYTES);
    const pod: Pod = { metadata: { annotations: { big } }, spec: { containers: [{ name: 'app' }] } };
    const result = mutatePod(pod, ctx, [targets('ddtrace'), targets('logfwd'), ignores]);
    assert.equal(planned, 0);
    assert.equal(result.pod, pod);
    assert.equal(result.changed, false);
    assert.deepEqual(
      result.outcomes.map((outcome) => [outcome.feature, outcome.reason]),
      [
        ['ddtrace', 'limit-exceeded'],
        ['logfwd', 'limit-exceeded'],
        ['profiler', 'not-targeted'],
      ],
    );
    assert.deepEqual(result.warnings, [
      `the pod's annotations are ${MAX_TOTAL_ANNOTATION_BYTES + 3} bytes together, more than the API ` +
        `server's limit of ${MAX_TOTAL_ANNOTATION_BYTES}: it will refuse the pod, so nothing was injected; ` +
        'shorten the annotations',
    ]);

    const fits: Pod = {
      metadata: { annotations: { big: big.slice(3) } },
      spec: { containers: [{ name: 'app' }] },
    };
    mutatePod(fits, ctx, [targets('ddtrace')]);
    assert.equal(planned, 1, 'annotations of exactly the limit are planned for');
  });
});
