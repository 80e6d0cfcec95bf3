// The manual's four example Deployments (examples/), applied as they are: the ReplicaSet controller's
// pods pass through the webhook and the API server accepts them with exactly the documented containers.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Pod } from '../../../src/podspec/types.ts';
import { ROOT } from '../support/environment.ts';
import { containerNames } from '../support/webhook-view.ts';
import {
  assertMatchesPrediction,
  createWorkload,
  findContainer,
  podFromTemplate,
  selectorOf,
  type Environment,
  type Workload,
} from './shared.ts';

const PROFILER_CONTAINER = 'datakit-profiler';
const PROFILER_VOLUME = 'datakit-profiler-volume';
const PROFILER_PATH = '/app/datakit-profiler';

interface ManualExample {
  readonly file: string;
  readonly init: readonly string[];
  readonly app: readonly string[];
  readonly check: (pod: Pod) => void;
}

function checkProfiler(imageSuffix: string): (pod: Pod) => void {
  return (pod) => {
    const profiler = findContainer(pod, PROFILER_CONTAINER);
    assert.ok(
      profiler.image?.endsWith(imageSuffix),
      `profiler image ${profiler.image} should end with ${imageSuffix}`,
    );
    assert.ok(
      profiler.volumeMounts?.some(
        (mount) => mount.name === PROFILER_VOLUME && mount.mountPath === PROFILER_PATH,
      ),
      `${PROFILER_CONTAINER} should mount ${PROFILER_VOLUME} at ${PROFILER_PATH}`,
    );
    assert.ok(
      pod.spec?.volumes?.some((volume) => volume.name === PROFILER_VOLUME),
      `no volume ${PROFILER_VOLUME}`,
    );
    assert.equal(pod.spec?.shareProcessNamespace, true);
  };
}

const EXAMPLES: readonly ManualExample[] = [
  {
    file: 'nginx-java.yaml',
    init: ['datakit-lib-init'],
    app: ['nginx'],
    check: (pod) => {
      const env = findContainer(pod, 'nginx').env ?? [];
      assert.ok(
        env.some(
          (item) =>
            item.name === 'JAVA_TOOL_OPTIONS' && item.value === '-javaagent:/datadog-lib/dd-java-agent.jar',
        ),
        'nginx should get JAVA_TOOL_OPTIONS with the java agent',
      );
    },
  },
  {
    file: 'logging-logfwd.yaml',
    init: [],
    app: ['log-container', 'datakit-logfwd'],
    check: (pod) => {
      const env = findContainer(pod, 'datakit-logfwd').env ?? [];
      assert.ok(
        env.some((item) => item.name === 'LOGFWD_JSON_CONFIG'),
        'datakit-logfwd should get LOGFWD_JSON_CONFIG',
      );
    },
  },
  {
    file: 'movies-java-profiler.yaml',
    init: [],
    app: ['movies-java', PROFILER_CONTAINER],
    check: checkProfiler(':0.4.4'),
  },
  {
    file: 'movies-python-profiler.yaml',
    init: [],
    app: ['movies-python', PROFILER_CONTAINER],
    check: checkProfiler(':latest'),
  },
];

export function manualDeploymentsJourney(env: Environment): void {
  describe("the manual's four Deployments (examples/)", () => {
    let namespace = '';
    const workloads = new Map<string, Workload>();

    before(async () => {
      await env().operator.useConfig({});
      namespace = await env().namespace('manual');
      for (const example of EXAMPLES) {
        const workload = parse(await readFile(join(ROOT, 'examples', example.file), 'utf8')) as Workload;
        workloads.set(example.file, workload);
        await createWorkload(env(), namespace, workload);
      }
    });

    for (const example of EXAMPLES) {
      const expected = [...example.init.map((name) => `init:${name}`), ...example.app].join(' ');
      it(`${example.file}: the ReplicaSet's pod carries exactly ${expected}`, async () => {
        const workload = workloads.get(example.file)!;
        const [pod] = await env().waitForPods(namespace, selectorOf(workload));
        assert.ok(pod);
        assert.deepStrictEqual(containerNames(pod), { init: [...example.init], app: [...example.app] });
        example.check(pod);
        assertMatchesPrediction(
          pod,
          await env().predict(podFromTemplate(workload, pod), namespace),
          example.file,
        );
      });
    }
  });
}
