// Global rules (SPEC §4): pods that a Deployment creates are instrumented because of their namespace or
// their labels, with no annotation at all; a label selector wins over a namespace pattern.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { E2E_RUN_LABEL } from '../support/run-names.ts';
import { isAdmissionEntry } from '../support/operator-log.ts';
import { scopeToRun } from '../support/operator-config.ts';
import { containerNames } from '../support/webhook-view.ts';
import {
  assertMatchesPrediction,
  createWorkload,
  deployment,
  findContainer,
  injectedAnnotation,
  podFromTemplate,
  selectorOf,
  type Environment,
  type Workload,
} from './shared.ts';

/** Written as a user would; scopeToRun narrows it to this run's namespaces and pods. */
const RULES = {
  ddtrace: {
    enabled_namespaces: [{ namespace: 'rules-ns', language: 'python' }],
    enabled_labelselectors: [{ labelselector: 'app=middleware*', language: 'nodejs' }],
  },
  profiler: {
    enabled_labelselectors: [{ labelselector: 'tier=backend', language: 'golang' }],
  },
};

interface RuleCase {
  readonly title: string;
  readonly namespace: 'rules-ns' | 'rules-other';
  readonly workload: (runLabels: Record<string, string>) => Workload;
  /** The value of the `ddtrace` key of admission.datakit/injected, up to the ':' (undefined: none). */
  readonly ddtraceLanguage?: string;
  readonly languageVariable?: string;
  readonly profiler?: boolean;
}

const CASES: readonly RuleCase[] = [
  {
    title: 'a namespace pattern instruments every pod of the namespace (python)',
    namespace: 'rules-ns',
    workload: (run) => deployment('plain', {}, {}, run),
    ddtraceLanguage: 'python',
    languageVariable: 'PYTHONPATH',
  },
  {
    title: 'a label selector wins over the namespace pattern (nodejs over python)',
    namespace: 'rules-ns',
    workload: (run) => deployment('redis', { app: 'middleware-redis' }, {}, run),
    ddtraceLanguage: 'nodejs',
    languageVariable: 'NODE_OPTIONS',
  },
  {
    title: 'a label selector with a glob value instruments pods in any namespace (nodejs)',
    namespace: 'rules-other',
    workload: (run) => deployment('cache', { app: 'middleware-cache' }, {}, run),
    ddtraceLanguage: 'nodejs',
    languageVariable: 'NODE_OPTIONS',
  },
  {
    title: "the profiler's own label selector adds the golang profiler",
    namespace: 'rules-other',
    workload: (run) => deployment('backend', { tier: 'backend' }, {}, run),
    profiler: true,
  },
  {
    title: 'a pod no rule selects is admitted unchanged after the webhook was asked',
    namespace: 'rules-other',
    workload: (run) => deployment('bystander', { tier: 'web' }, {}, run),
  },
];

export function globalRulesJourney(env: Environment): void {
  describe('global namespace and label-selector rules on Pods created by a Deployment', () => {
    const namespaces = new Map<string, string>();
    const workloads = new Map<string, Workload>();

    before(async () => {
      const e = env();
      const run = { [E2E_RUN_LABEL]: e.names.run };
      await e.operator.useConfig(
        scopeToRun(RULES, {
          namespacePrefix: e.names.namespacePrefix,
          selectorRequirement: e.names.runSelector,
        }),
      );
      for (const purpose of ['rules-ns', 'rules-other']) namespaces.set(purpose, await e.namespace(purpose));
      for (const ruleCase of CASES) {
        const workload = ruleCase.workload(run);
        workloads.set(ruleCase.title, workload);
        await createWorkload(e, namespaces.get(ruleCase.namespace)!, workload);
      }
    });

    for (const ruleCase of CASES) {
      it(ruleCase.title, async () => {
        const namespace = namespaces.get(ruleCase.namespace)!;
        const workload = workloads.get(ruleCase.title)!;
        const [pod] = await env().waitForPods(namespace, selectorOf(workload));
        assert.ok(pod);
        const injected = injectedAnnotation(pod);
        const names = containerNames(pod);

        if (ruleCase.ddtraceLanguage) {
          assert.match(String(injected?.['ddtrace']), new RegExp(`^${ruleCase.ddtraceLanguage}:`));
          assert.deepStrictEqual(names.init, ['datakit-lib-init']);
          const app = findContainer(pod, 'app');
          assert.ok(
            app.env?.some((item) => item.name === ruleCase.languageVariable),
            `app lacks ${ruleCase.languageVariable}`,
          );
        } else {
          assert.equal(injected?.['ddtrace'], undefined, 'no DDTrace expected');
          assert.deepStrictEqual(names.init, []);
        }
        if (ruleCase.profiler) {
          assert.deepStrictEqual(names.app, ['app', 'datakit-profiler']);
          assert.match(String(findContainer(pod, 'datakit-profiler').image), /go-pprof/);
        } else {
          assert.deepStrictEqual(names.app, ['app']);
        }
        if (!ruleCase.ddtraceLanguage && !ruleCase.profiler) {
          assert.equal(injected, undefined, 'nothing should be injected');
          const asked = await env().operator.process.waitForEntry(
            (entry) =>
              isAdmissionEntry(entry) &&
              entry.namespace === namespace &&
              entry.pod.startsWith(`${workload.metadata.name}-`),
            `the admission of a ${workload.metadata.name} pod`,
          );
          assert.equal(asked['result'], 'unchanged', JSON.stringify(asked));
        }
        assertMatchesPrediction(
          pod,
          await env().predict(podFromTemplate(workload, pod), namespace),
          ruleCase.title,
        );
      });
    }
  });
}
