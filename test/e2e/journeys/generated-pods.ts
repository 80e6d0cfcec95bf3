// Generated pods through the real API server: the property tests' pod generator (fixed seeds) under each
// of the property tests' configurations. Every pod must be accepted, and what the webhook wrote into the
// stored pod must equal what the pure core predicts for the pod the API server handed to the webhook
// (webhook-view.ts says exactly what is compared, and why the rest is not).

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Pod } from '../../../src/podspec/types.ts';
import { configDocuments, podArbitrary, type GeneratedPod } from '../../support/pod-arbitrary.ts';
import { scopeToRun } from '../support/operator-config.ts';
import { E2E_RUN_LABEL } from '../support/run-names.ts';
import { mapBounded } from '../support/wait.ts';
import { webhookViewOf } from '../support/webhook-view.ts';
import type { Environment } from './shared.ts';

/** 3 configurations x 70 = 210 pods. */
const PODS_PER_CONFIG = 70;
const SEED = 4_202_604;
/** Bounded: fast on 2 cores without queueing hundreds of requests at the API server. */
const CONCURRENCY = 6;
/** The generator's namespaces; each becomes `dko-e2e-<run>-gen-<name>`. */
const GENERATED_NAMESPACES = ['default', 'testns', 'team-a', 'default-foo', 'middleware'] as const;
const SHOWN_FAILURES = 3;

interface PodOutcome {
  readonly index: number;
  readonly result?: string;
  readonly problem?: string;
}

/** The generated pod as this run creates it: in its namespace, with a name unique in the run, labelled. */
export function toRunPod(
  generated: GeneratedPod,
  namespace: string,
  suffix: string,
  run: Record<string, string>,
): Pod {
  const pod = structuredClone(generated.pod);
  const metadata = { ...pod.metadata, namespace, labels: { ...pod.metadata?.labels, ...run } };
  if (metadata.name !== undefined) metadata.name = `${metadata.name}-${suffix}`;
  return { ...pod, metadata };
}

export function generatedPodsJourney(env: Environment): void {
  describe(`${PODS_PER_CONFIG * configDocuments.length} generated pods created through the API server`, () => {
    const namespaces = new Map<string, string>();

    before(async () => {
      for (const name of GENERATED_NAMESPACES) namespaces.set(name, await env().namespace(`gen-${name}`));
    });

    configDocuments.forEach((document, configIndex) => {
      const title = `configuration ${configIndex + 1} of ${configDocuments.length}: ${PODS_PER_CONFIG} pods accepted, each as the core predicts`;
      it(title, async (t) => {
        const e = env();
        const admissionInject =
          (document as { admission_inject?: Record<string, unknown> }).admission_inject ?? {};
        await e.operator.useConfig(
          scopeToRun(admissionInject, {
            namespacePrefix: `${e.names.namespacePrefix}gen-`,
            selectorRequirement: e.names.runSelector,
          }),
        );
        const samples = fc.sample(podArbitrary, { seed: SEED + configIndex, numRuns: PODS_PER_CONFIG });
        const run = { [E2E_RUN_LABEL]: e.names.run };
        const started = performance.now();
        const outcomes = await mapBounded(
          samples,
          CONCURRENCY,
          async (generated, index): Promise<PodOutcome> => {
            const namespace = namespaces.get(generated.namespace);
            if (!namespace)
              return { index, problem: `the generator used an unknown namespace ${generated.namespace}` };
            const request = toRunPod(generated, namespace, `c${configIndex}-${index}`, run);
            try {
              const prediction = await e.predict(request, namespace);
              const stored = (await e.createPod(namespace, request)).body;
              assert.deepStrictEqual(webhookViewOf(stored), webhookViewOf(prediction.pod));
              return { index, result: prediction.result };
            } catch (error) {
              return { index, problem: `${(error as Error).message}\nrequest: ${JSON.stringify(request)}` };
            }
          },
        );
        const counts = new Map<string, number>();
        for (const outcome of outcomes) {
          const key = outcome.problem ? 'failed' : (outcome.result ?? '?');
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        t.diagnostic(
          `${JSON.stringify(Object.fromEntries(counts))} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
        const failures = outcomes.filter((outcome) => outcome.problem !== undefined);
        assert.deepStrictEqual(
          failures.slice(0, SHOWN_FAILURES).map((failure) => `pod #${failure.index}: ${failure.problem}`),
          [],
          `${failures.length} of ${outcomes.length} generated pods failed (first ${SHOWN_FAILURES} shown)`,
        );
        assert.ok(
          (counts.get('mutated') ?? 0) > 0,
          'no generated pod was mutated: the journey tested nothing',
        );
      });
    });
  });
}
