// Invariants of the admission handler over generated pods (SPEC §3): the patch applies; the result is
// a valid pod (our invariants and the Kubernetes schema); a second pass is a no-op; nothing the user
// wrote is lost.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import fastJsonPatch from 'fast-json-patch';
import { Pod as PodModel } from 'kubernetes-models/v1/Pod';
import { decidePod } from '../../src/admission/decide.ts';
import { handleAdmission } from '../../src/admission/handle.ts';
import { admissionReviewBody } from '../../src/admission/review-text.ts';
import { listInvariantViolations } from '../../src/mutation/invariants.ts';
import type { Container, EnvVar, Pod } from '../../src/podspec/types.ts';
import { applyPatch, buildReview, configFrom, decodePatch } from '../support/admission.ts';
import { configDocuments, podArbitrary } from '../support/pod-arbitrary.ts';
import {
  otelAnnotation,
  v2ConfigArbitrary,
  v2ExpectedLanguage,
  v2VersionAnnotations,
} from '../support/v2-rule-arbitrary.ts';
import { deepFreeze } from '../../src/podspec/deep-freeze.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const configs = configDocuments.map((document) => configFrom(document));
const configIndex = fc.integer({ min: 0, max: configs.length - 1 });

/**
 * Env vars whose value the operator may extend (SPEC §5, §6); their old value must stay inside (a value of
 * only whitespace may be replaced: joining to it would give the leading space upstream got wrong).
 */
const EXTENDED_ENVS = new Set([
  'JAVA_TOOL_OPTIONS',
  'PYTHONPATH',
  'NODE_OPTIONS',
  'DD_TAGS',
  'PHP_INI_SCAN_DIR',
  'DD_LOADER_PACKAGE_PATH',
]);

const serverVersions = [undefined, { major: 1, minor: 28 }, { major: 1, minor: 31 }] as const;
const serverVersionIndex = fc.integer({ min: 0, max: serverVersions.length - 1 });

function mutate(pod: Pod, namespace: string, config: (typeof configs)[number], versionIndex: number) {
  const serverVersion = serverVersions[versionIndex];
  const decision = handleAdmission(buildReview(pod, { namespace }), { config, serverVersion });
  return { decision, result: applyPatch(pod, decodePatch(decision.review)) };
}

/**
 * The patch derived from the copy-on-write draft equals what the generic diff (fast-json-patch, which the
 * operator used before) gives for the same mutation: the same operations, so the same pod.
 */
function assertPatchEqualsGenericDiff(
  pod: Pod,
  namespace: string,
  config: (typeof configs)[number],
  versionIndex: number,
  patch: readonly unknown[],
): void {
  const decided = decidePod(pod, pod.metadata?.namespace || namespace, {
    config,
    serverVersion: serverVersions[versionIndex],
  });
  assert.equal(decided.kind, 'decided');
  if (decided.kind !== 'decided') return;
  const generic = decided.mutation.changed ? fastJsonPatch.compare(pod, decided.mutation.pod) : [];
  assert.deepEqual(
    applyPatch(pod, generic as never),
    decided.mutation.pod,
    'the generic diff rebuilds the pod',
  );
  assert.deepEqual(patch, generic, 'the derived patch is the generic diff');
}

function assertContainerKept(before: Container, after: Container | undefined): void {
  assert.ok(after, `container "${before.name}" disappeared`);
  for (const [key, value] of Object.entries(before)) {
    if (key === 'env' || key === 'volumeMounts') continue;
    assert.deepEqual(after[key], value, `container "${before.name}" field ${key} changed`);
  }
  for (const mount of before.volumeMounts ?? []) {
    assert.ok(
      after.volumeMounts?.some((other) => JSON.stringify(other) === JSON.stringify(mount)),
      `container "${before.name}" lost mount ${mount.mountPath}`,
    );
  }
  for (const env of before.env ?? []) {
    const kept: EnvVar | undefined = after.env?.find((other) => other.name === env.name);
    assert.ok(kept, `container "${before.name}" lost env ${env.name}`);
    if (env.name === 'DD_TAGS' && env.value !== undefined) {
      // The merge may normalise separators (a trailing comma, spaces around commas) but keeps every tag.
      const tags = (value: string | undefined) => (value ?? '').split(/[,\s]+/).filter((tag) => tag !== '');
      const keptTags = new Set(tags(kept.value));
      for (const tag of tags(env.value)) assert.ok(keptTags.has(tag), `DD_TAGS lost the tag "${tag}"`);
    } else if (EXTENDED_ENVS.has(env.name) && env.value !== undefined) {
      assert.ok(kept.value?.includes(env.value.trim()), `env ${env.name} lost its value "${env.value}"`);
    } else {
      assert.deepEqual(kept, env, `container "${before.name}" env ${env.name} changed`);
    }
  }
}

function assertNothingLost(before: Pod, after: Pod): void {
  for (const [key, value] of Object.entries(before.metadata?.annotations ?? {})) {
    assert.equal(after.metadata?.annotations?.[key], value, `annotation ${key} changed`);
  }
  const { annotations: _a, ...metadataRest } = before.metadata ?? {};
  for (const [key, value] of Object.entries(metadataRest)) assert.deepEqual(after.metadata?.[key], value);
  const { containers, initContainers, volumes, ...specRest } = before.spec ?? {};
  for (const [key, value] of Object.entries(specRest)) {
    assert.deepEqual(after.spec?.[key], value, `spec.${key}`);
  }
  // Besides containers and volumes, the one pod-level field the operator may add: the profiler must see
  // the app's processes.
  for (const key of Object.keys(after.spec ?? {})) {
    if (key in (before.spec ?? {})) continue;
    assert.ok(['initContainers', 'volumes', 'shareProcessNamespace'].includes(key), `spec.${key} was added`);
  }
  for (const volume of volumes ?? []) assert.ok(after.spec?.volumes?.some((v) => v.name === volume.name));
  for (const container of containers ?? []) {
    assertContainerKept(
      container,
      after.spec?.containers?.find((other) => other.name === container.name),
    );
  }
  (initContainers ?? []).forEach((container, index) => {
    assert.deepEqual(
      after.spec?.initContainers?.[index],
      container,
      "the pod's own init containers keep their place",
    );
  });
}

describe('admission properties over generated pods (ddtrace, logfwd and profiler together)', () => {
  it(`the patch applies, equals the generic diff, keeps the pod valid, loses nothing, and a second pass is a no-op (${RUNS} pods)`, () => {
    fc.assert(
      fc.property(
        podArbitrary,
        configIndex,
        serverVersionIndex,
        ({ pod, namespace }, index, versionIndex) => {
          const config = configs[index]!;
          assert.deepEqual(listInvariantViolations(pod), [], 'the generator makes valid pods');
          // The received pod is never written: every edit goes to a copy-on-write draft.
          deepFreeze(pod);
          const { decision, result } = mutate(pod, namespace, config, versionIndex);
          assertPatchEqualsGenericDiff(pod, namespace, config, versionIndex, decodePatch(decision.review));
          assert.equal(decision.review.response.allowed, true);
          assert.equal(
            admissionReviewBody(decision.review, decision.patchPieces).toString(),
            JSON.stringify(decision.review),
          );
          assert.equal(decision.patchPieces?.join(''), decision.review.response.patch);
          const patch = decision.review.response.patch;
          if (patch !== undefined) {
            const text = Buffer.from(patch, 'base64').toString('utf8');
            assert.equal(text, JSON.stringify(JSON.parse(text)), "the patch is JSON.stringify's text");
          }
          assert.notEqual(decision.result, 'failed-open', decision.error?.stack);
          assert.deepEqual(listInvariantViolations(result), []);
          new PodModel(result as ConstructorParameters<typeof PodModel>[0]).validate();
          assertNothingLost(pod, result);
          const second = mutate(result, namespace, config, versionIndex);
          assert.deepEqual(decodePatch(second.decision.review), [], 'second pass must not patch');
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// Random admission_inject_v2.ddtraces lists (reference §1.4, §1.6): the same invariants, and the language
// injected is the one an independent model of the rule choice predicts.
const V2_RUNS = Math.max(1, Math.floor(RUNS / 2));
const DDTRACE_SKIPS_OF_A_CHOSEN_RULE = new Set([
  'would-break-pod',
  'no-target-containers',
  'limit-exceeded',
  'invalid-annotation',
  'already-injected',
]);

const OTEL_SKIPS_OF_A_CHOSEN_RULE = new Set([...DDTRACE_SKIPS_OF_A_CHOSEN_RULE, 'other-tracer']);
const TRACER_INIT_CONTAINERS = ['datakit-lib-init', 'datakit-otel-lib-init'];

/** A pod never gets both agents: neither both init containers added, nor both features injected. */
function assertNeverBothTracers(
  before: Pod,
  after: Pod,
  outcomes: readonly { feature: string; status: string }[],
) {
  const names = (pod: Pod) => new Set((pod.spec?.initContainers ?? []).map((container) => container.name));
  const had = names(before);
  const has = names(after);
  const added = TRACER_INIT_CONTAINERS.filter((name) => has.has(name) && !had.has(name));
  assert.ok(added.length < 2, 'DDTrace and OpenTelemetry init containers were both added');
  const injected = outcomes.filter(
    (outcome) =>
      (outcome.feature === 'ddtrace' || outcome.feature === 'otel') && outcome.status === 'injected',
  );
  assert.ok(injected.length < 2, 'DDTrace and OpenTelemetry were both injected');
}

describe('admission properties over generated pods and random v2 rule lists (ddtraces and otels)', () => {
  it(`keeps every invariant and injects the language of the first rule that applies (${V2_RUNS} pods)`, () => {
    fc.assert(
      fc.property(
        podArbitrary,
        v2ConfigArbitrary,
        v2VersionAnnotations,
        serverVersionIndex,
        ({ pod: generated, namespace }, { document, rules, otels }, extra, versionIndex) => {
          const pod = structuredClone(generated);
          if (Object.keys(extra).length > 0) {
            pod.metadata = { ...pod.metadata, annotations: { ...pod.metadata?.annotations, ...extra } };
          }
          deepFreeze(pod);
          const config = configFrom(document);
          const { decision, result } = mutate(pod, namespace, config, versionIndex);
          assertPatchEqualsGenericDiff(pod, namespace, config, versionIndex, decodePatch(decision.review));
          assert.notEqual(decision.result, 'failed-open', decision.error?.stack);
          assert.deepEqual(listInvariantViolations(result), []);
          new PodModel(result as ConstructorParameters<typeof PodModel>[0]).validate();
          assertNothingLost(pod, result);
          assert.deepEqual(decodePatch(mutate(result, namespace, config, versionIndex).decision.review), []);

          assertNeverBothTracers(pod, result, decision.outcomes);
          const outcome = decision.outcomes.find((candidate) => candidate.feature === 'ddtrace');
          const annotations = pod.metadata?.annotations ?? {};
          const isFalse = (key: string) => ['false', '0', 'F'].includes(annotations[key] ?? '');
          if (isFalse('admission.datakit/enabled') || outcome === undefined) return;
          const podNamespace = pod.metadata?.namespace || namespace;
          const expected = isFalse('admission.datakit/ddtrace.enabled')
            ? undefined
            : v2ExpectedLanguage(rules, podNamespace, pod);
          if (isFalse('admission.datakit/ddtrace.enabled')) {
            assert.equal(outcome.reason, 'feature-opted-out');
          } else if (expected === undefined) {
            assert.equal(outcome.status, 'skipped', outcome.detail);
          } else if (outcome.status === 'injected') {
            assert.match(String(outcome.summary), new RegExp(`^${expected}:`), outcome.detail);
          } else {
            assert.ok(DDTRACE_SKIPS_OF_A_CHOSEN_RULE.has(outcome.reason), outcome.detail);
          }

          // OpenTelemetry: stands back whenever DDTrace chose the pod, else the first applying otels rule.
          const otel = decision.outcomes.find((candidate) => candidate.feature === 'otel');
          if (otels.length === 0) {
            assert.equal(otel, undefined, 'without otels rules OpenTelemetry takes no part');
            return;
          }
          assert.ok(otel, 'with otels rules OpenTelemetry reports an outcome');
          const otelExpected = v2ExpectedLanguage(otels, podNamespace, pod, otelAnnotation);
          if (isFalse('admission.datakit/otel.enabled')) {
            assert.equal(otel.reason, 'feature-opted-out');
          } else if (otelExpected === undefined) {
            assert.equal(otel.reason, 'not-targeted', otel.detail);
          } else if (expected !== undefined) {
            assert.equal(otel.reason, 'other-tracer', otel.detail);
          } else if (otel.status === 'injected') {
            assert.match(String(otel.summary), new RegExp(`^${otelExpected}:`), otel.detail);
          } else {
            assert.ok(OTEL_SKIPS_OF_A_CHOSEN_RULE.has(otel.reason), `${otel.reason}: ${otel.detail}`);
          }
        },
      ),
      { numRuns: V2_RUNS },
    );
  });
});
