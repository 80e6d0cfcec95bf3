// SPEC §15 at the handler: a hostile pod loses only the feature it overloads, with a warning naming the
// limit, and the operator's own annotations never make the pod invalid.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handleAdmission } from './handle.ts';
import {
  MAX_INSTANCES_PER_POD,
  MAX_LOG_DIRECTORIES_PER_POD,
  MAX_LOG_PATHS_PER_POD,
  MAX_SHARED_MOUNTS_PER_POD,
} from '../injectors/logfwd/constants.ts';
import {
  MAX_CONTAINER_NAMES,
  MAX_PATCH_BYTES,
  MAX_RESPONSE_WARNINGS,
  MAX_TARGET_CONTAINERS,
  MAX_WARNINGS_ANNOTATION_BYTES,
} from '../mutation/limits.ts';
import { ANNOTATION_WARNINGS } from '../mutation/operator-names.ts';
import { editPlan, injected } from '../mutation/outcomes.ts';
import type { Feature } from '../mutation/plan.ts';
import type { Pod } from '../podspec/types.ts';
import { applyPatch, buildReview, configFrom, decodePatch } from '../../test/support/admission.ts';
import {
  containersTimesDirectories,
  logfilesInManyDirectories,
  manyContainerNames,
  manyLogfwdInstances,
  manyRelativeLogPaths,
} from '../../test/support/hostile-pods.ts';

const deps = { config: configFrom(), serverVersion: undefined };

function admit(pod: Pod) {
  const decision = handleAdmission(buildReview(pod), deps);
  return { decision, result: applyPatch(pod, decodePatch(decision.review)) };
}

function outcomeOf(decision: ReturnType<typeof handleAdmission>, feature: string) {
  return decision.outcomes.find((outcome) => outcome.feature === feature);
}

describe('per-pod limits', () => {
  const logfwdCases: { name: string; pod: Pod; limit: RegExp }[] = [
    {
      name: `more than ${MAX_INSTANCES_PER_POD} logfwd instances`,
      pod: manyLogfwdInstances(1_000),
      limit: new RegExp(`1000 instances, more than the limit of ${MAX_INSTANCES_PER_POD}`),
    },
    {
      name: `more than ${MAX_LOG_PATHS_PER_POD} log paths`,
      pod: logfilesInManyDirectories(5_000),
      limit: new RegExp(`limit of ${MAX_LOG_PATHS_PER_POD}`),
    },
    {
      name: `more than ${MAX_LOG_DIRECTORIES_PER_POD} log directories`,
      pod: containersTimesDirectories(4, 100),
      limit: new RegExp(`limit of ${MAX_LOG_DIRECTORIES_PER_POD}`),
    },
    {
      name: `more than ${MAX_SHARED_MOUNTS_PER_POD} shared mounts (containers × log directories)`,
      pod: containersTimesDirectories(100, 64),
      limit: new RegExp(`takes 6400 mounts, more than the limit of ${MAX_SHARED_MOUNTS_PER_POD}`),
    },
    {
      name: `more than ${MAX_TARGET_CONTAINERS} target containers`,
      pod: containersTimesDirectories(1_000, 1),
      limit: new RegExp(`1000 containers to instrument, more than the limit of ${MAX_TARGET_CONTAINERS}`),
    },
  ];
  for (const { name, pod, limit } of logfwdCases) {
    it(`skips logfwd, and only logfwd, for ${name}`, () => {
      const { decision, result } = admit(pod);
      assert.equal(decision.result, 'mutated', 'only the warnings annotation is written');
      const outcome = outcomeOf(decision, 'logfwd');
      assert.equal(outcome?.reason, 'limit-exceeded');
      assert.match(outcome?.detail ?? '', limit);
      assert.equal(result.spec?.containers?.length, pod.spec?.containers?.length, 'no sidecar');
      assert.match(result.metadata?.annotations?.[ANNOTATION_WARNINGS] ?? '', limit);
    });
  }

  it(`skips every container-picking feature for more than ${MAX_CONTAINER_NAMES} container names`, () => {
    const { decision, result } = admit(manyContainerNames(30_000));
    assert.equal(outcomeOf(decision, 'ddtrace')?.reason, 'limit-exceeded');
    assert.deepEqual(result.spec, manyContainerNames(30_000).spec, 'the spec is untouched');
    const warnings = result.metadata?.annotations?.[ANNOTATION_WARNINGS] ?? '';
    assert.ok(warnings.length < 1000, `${warnings.length} characters of warnings`);
  });
});

describe('status annotations stay small', () => {
  it('plans and writes nothing for a pod whose own annotations are over the API server limit', () => {
    const { decision, result } = admit(manyLogfwdInstances(10_000));
    assert.equal(decision.result, 'unchanged');
    assert.equal(outcomeOf(decision, 'logfwd')?.reason, 'limit-exceeded');
    assert.equal(result.metadata?.annotations?.[ANNOTATION_WARNINGS], undefined);
    assert.match(
      decision.review.response.warnings?.at(-1) ?? '',
      /annotations are \d+ bytes together, more than the API server's limit of 262144: it will refuse the pod/,
    );
  });

  it('reports 500 relative log paths in a short warning, not one line each', () => {
    const { decision, result } = admit(manyRelativeLogPaths(500));
    assert.equal(outcomeOf(decision, 'logfwd')?.reason, 'invalid-annotation');
    const warnings = result.metadata?.annotations?.[ANNOTATION_WARNINGS] ?? '';
    assert.ok(Buffer.byteLength(warnings) <= MAX_WARNINGS_ANNOTATION_BYTES, `${warnings.length} bytes`);
    assert.match(warnings, /and 490 more problems/);
    assert.ok((decision.review.response.warnings ?? []).length <= MAX_RESPONSE_WARNINGS + 1);
  });
});

describe('the patch size limit', () => {
  it(`admits the pod unchanged when the patch would be over ${MAX_PATCH_BYTES} bytes`, () => {
    const pod: Pod = {
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'app' }] },
    };
    const huge: Feature = {
      name: 'ddtrace',
      select: () => ({
        selected: true,
        plan: () =>
          editPlan(injected('ddtrace', 'annotation', 'x', 'a huge env'), [
            {
              kind: 'set-env',
              target: { list: 'containers', index: 0 },
              env: [{ name: 'BIG', value: 'x'.repeat(MAX_PATCH_BYTES) }],
            },
          ]),
      }),
    };
    const decision = handleAdmission(buildReview(pod), { ...deps, features: [huge] });
    assert.equal(decision.result, 'failed-open');
    assert.equal(decision.review.response.patch, undefined);
    assert.match(decision.review.response.warnings?.[0] ?? '', /more than the limit of 1048576/);
  });
});
