// The manual's four examples (examples/*.yaml) through `inject`, against committed golden outputs, plus
// an `explain` golden. UPDATE_GOLDEN=1 rewrites the golden files so a reviewer sees the change as a diff
// (the same convention as test/golden). Each output is also checked against what the manual's own
// verification commands expect to see on the pod.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  DDTRACE_INIT_CONTAINER,
  checkOrWriteGolden as checkOrWrite,
  explain,
  inject,
  namesOf,
  valueAt,
  type PodTemplate,
} from './support.ts';

const root = new URL('../../', import.meta.url).pathname;
const goldenDir = new URL('./golden/', import.meta.url).pathname;

const PROFILER_CONTAINER = 'datakit-profiler';
const PROFILER_VOLUME = 'datakit-profiler-volume';
const PROFILER_MOUNT_PATH = '/app/datakit-profiler';

function templateOf(yamlText: string): PodTemplate {
  return valueAt(parse(yamlText), ['spec', 'template']) as PodTemplate;
}

function assertProfilerSidecar(template: PodTemplate): void {
  const sidecar = [...template.spec.containers, ...(template.spec.initContainers ?? [])].find(
    (container) => container['name'] === PROFILER_CONTAINER,
  );
  assert.ok(sidecar, `a ${PROFILER_CONTAINER} container`);
  const mounts = sidecar['volumeMounts'] as { name: string; mountPath: string }[];
  assert.ok(
    mounts.some((mount) => mount.name === PROFILER_VOLUME && mount.mountPath === PROFILER_MOUNT_PATH),
  );
  const volumes = template.spec['volumes'] as { name: string }[];
  assert.ok(volumes.some((volume) => volume.name === PROFILER_VOLUME));
}

/** Each example and what the manual's verification commands show on the resulting pod. */
const EXAMPLES: readonly [string, string, (template: PodTemplate) => void][] = [
  [
    'nginx-java',
    `init container ${DDTRACE_INIT_CONTAINER}`,
    (template) => assert.deepEqual(namesOf(template.spec.initContainers), [DDTRACE_INIT_CONTAINER]),
  ],
  [
    'logging-logfwd',
    'containers log-container datakit-logfwd',
    (template) => assert.deepEqual(namesOf(template.spec.containers), ['log-container', 'datakit-logfwd']),
  ],
  [
    'movies-java-profiler',
    `${PROFILER_CONTAINER} with ${PROFILER_MOUNT_PATH} from ${PROFILER_VOLUME}`,
    assertProfilerSidecar,
  ],
  [
    'movies-python-profiler',
    `${PROFILER_CONTAINER} with ${PROFILER_MOUNT_PATH} from ${PROFILER_VOLUME}`,
    assertProfilerSidecar,
  ],
];

describe("the manual's examples", () => {
  for (const [name, verification, verify] of EXAMPLES) {
    const example = `${root}examples/${name}.yaml`;

    it(`${name}: inject prints the golden output`, async () => {
      const run = await inject(['-f', example]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
      checkOrWrite(`${goldenDir}${name}.injected.yaml`, run.stdout);
    });

    it(`${name}: the injected pod has what the manual's verification shows (${verification})`, async () => {
      const run = await inject(['-f', example]);
      verify(templateOf(run.stdout));
    });

    it(`${name}: injecting the golden output again changes nothing`, async () => {
      const golden = `${goldenDir}${name}.injected.yaml`;
      const run = await inject(['-f', golden]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, readFileSync(golden, 'utf8'));
    });
  }

  it('nginx-java: explain prints the golden decisions', async () => {
    const run = await explain(['-f', `${root}examples/nginx-java.yaml`]);
    assert.equal(run.code, 0, run.stderr);
    checkOrWrite(`${goldenDir}nginx-java.explain.txt`, run.stdout);
  });
});
