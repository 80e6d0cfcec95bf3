// `inject` end to end in-process: every workload kind, streams, stdin, JSON, flags, bad input, and the
// promise that matters most — the template it writes is what the webhook would make of the pod.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { handleAdmission } from '../../src/admission/handle.ts';
import { applyPatch, buildReview, configFrom, decodePatch } from '../support/admission.ts';
import {
  DDTRACE_INIT_CONTAINER,
  INJECTED_ANNOTATION,
  inject,
  javaTemplate,
  namesOf,
  toYamlStream,
  valueAt,
  useScratchDir,
  workloadCases,
  type PodTemplate,
} from './support.ts';

const writeScratchFile = useScratchDir();

function documentsOf(yamlText: string): unknown[] {
  return parseAllDocuments(yamlText).map((document) => document.toJS());
}

/** The pod a controller creates from a template: what reaches the webhook. */
function podFrom(template: PodTemplate, namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...template.metadata, generateName: 'x-', namespace },
    spec: template.spec,
  };
}

function templateOf(document: unknown, path: readonly string[]): PodTemplate {
  return valueAt(document, path) as PodTemplate;
}

describe('inject: every workload kind', () => {
  for (const { kind, manifest, templatePath } of workloadCases()) {
    it(`injects the pod template of a ${kind}`, async () => {
      const file = writeScratchFile(`${kind}.yaml`, toYamlStream([manifest]));
      const run = await inject(['-f', file]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
      const [output] = documentsOf(run.stdout);
      const template = templateOf(output, templatePath);
      assert.deepEqual(namesOf(template.spec.initContainers), [DDTRACE_INIT_CONTAINER]);
      assert.match(template.metadata?.annotations?.[INJECTED_ANNOTATION] ?? '', /"ddtrace":"java:/);
      // Everything outside the template is as it was.
      const outside = structuredClone(output) as Record<string, unknown>;
      const original = structuredClone(manifest);
      if (templatePath.length > 0) {
        delete (valueAt(outside, templatePath.slice(0, -1)) as Record<string, unknown>)['template'];
        delete (valueAt(original, templatePath.slice(0, -1)) as Record<string, unknown>)['template'];
        assert.deepEqual(outside, original);
      }
    });

    it(`writes into a ${kind} exactly the pod the webhook would make, which the webhook then leaves alone`, async () => {
      const file = writeScratchFile(`${kind}-webhook.yaml`, toYamlStream([manifest]));
      const run = await inject(['-f', file]);
      assert.equal(run.code, 0, run.stderr);
      const deps = { config: configFrom({}), serverVersion: undefined };
      const [output] = documentsOf(run.stdout);
      // A Pod reaches the webhook as it is; a template reaches it as the pod its controller creates.
      const isPod = templatePath.length === 0;
      const originalPod = isPod ? manifest : podFrom(templateOf(manifest, templatePath), 'default');
      const injectedPod = isPod ? output : podFrom(templateOf(output, templatePath), 'default');

      const webhook = handleAdmission(buildReview(originalPod), deps);
      assert.equal(webhook.result, 'mutated');
      assert.deepEqual(injectedPod, applyPatch(originalPod, decodePatch(webhook.review)));
      const again = handleAdmission(buildReview(injectedPod), deps);
      assert.deepEqual(decodePatch(again.review), []);
    });
  }

  it('injects both items of a List', async () => {
    const [deployment, job] = workloadCases().filter(({ kind }) => kind === 'Deployment' || kind === 'Job');
    assert.ok(deployment && job);
    const list = { apiVersion: 'v1', kind: 'List', items: [deployment.manifest, job.manifest] };
    const run = await inject(['-f', writeScratchFile('list.yaml', toYamlStream([list]))]);
    assert.equal(run.code, 0, run.stderr);
    const [output] = documentsOf(run.stdout);
    for (const index of [0, 1]) {
      const template = templateOf(output, ['items', String(index), 'spec', 'template']);
      assert.deepEqual(namesOf(template.spec.initContainers), [DDTRACE_INIT_CONTAINER], `items[${index}]`);
    }
  });
});

describe('inject: streams and formats', () => {
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings' },
    data: { on: 'yes' },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { ports: [{ port: 80 }] },
  };
  const [podCase, cronCase] = workloadCases().filter(({ kind }) => kind === 'Pod' || kind === 'CronJob');
  assert.ok(podCase && cronCase);

  it('keeps every document of a mixed stream in order and passes non-workloads through unchanged', async () => {
    const stream = toYamlStream([configMap, podCase.manifest, service, cronCase.manifest]);
    const run = await inject([
      '-f',
      writeScratchFile('mixed.yaml', `# a comment that is dropped\n${stream}`),
    ]);
    assert.equal(run.code, 0, run.stderr);
    const output = documentsOf(run.stdout);
    assert.deepEqual(
      output.map((document) => (document as { kind: string }).kind),
      ['ConfigMap', 'Pod', 'Service', 'CronJob'],
    );
    assert.deepEqual(output[0], configMap);
    assert.deepEqual(output[2], service);
    assert.doesNotMatch(run.stdout, /comment/);
    // The YAML 1.1 reader kubectl uses must read the ConfigMap back as strings, not booleans.
    assert.deepEqual(parseAllDocuments(run.stdout, { version: '1.1' })[0]?.toJS(), configMap);
  });

  it('reads standard input with -f -', async () => {
    const run = await inject(['-f', '-'], { stdin: toYamlStream([podCase.manifest]) });
    assert.equal(run.code, 0, run.stderr);
    const pod = documentsOf(run.stdout)[0] as PodTemplate;
    assert.deepEqual(namesOf(pod.spec.initContainers), [DDTRACE_INIT_CONTAINER]);
  });

  it('reads JSON and writes YAML unless -o json is given', async () => {
    const file = writeScratchFile('pod.json', JSON.stringify(podCase.manifest, null, 2));
    const yamlRun = await inject(['-f', file]);
    assert.equal(yamlRun.code, 0, yamlRun.stderr);
    assert.match(yamlRun.stdout, /^apiVersion: v1\nkind: Pod\n/);
    const jsonRun = await inject(['-f', file, '-o', 'json']);
    assert.equal(jsonRun.code, 0, jsonRun.stderr);
    assert.deepEqual(JSON.parse(jsonRun.stdout), parse(yamlRun.stdout));
  });

  it('prints several objects as a v1 List with -o json', async () => {
    const run = await inject(['-f', '-', '--output', 'json'], {
      stdin: toYamlStream([configMap, podCase.manifest]),
    });
    assert.equal(run.code, 0, run.stderr);
    const list = JSON.parse(run.stdout) as { apiVersion: string; kind: string; items: { kind: string }[] };
    assert.equal(list.kind, 'List');
    assert.equal(list.apiVersion, 'v1');
    assert.deepEqual(
      list.items.map((item) => item.kind),
      ['ConfigMap', 'Pod'],
    );
  });

  it('is idempotent: inject of its own output prints the same output', async () => {
    const stream = toYamlStream(
      workloadCases()
        .map(({ manifest }) => manifest)
        .concat([configMap]),
    );
    const first = await inject(['-f', '-'], { stdin: stream });
    assert.equal(first.code, 0, first.stderr);
    const second = await inject(['-f', '-'], { stdin: first.stdout });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
  });

  it('sends the injection warnings to stderr, named by object, and keeps stdout clean', async () => {
    const template = javaTemplate('app');
    template.spec.containers[0] = {
      name: 'app',
      image: 'app:1',
      env: [{ name: 'JAVA_TOOL_OPTIONS', valueFrom: { configMapKeyRef: { name: 'jvm', key: 'opts' } } }],
    };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template },
    };
    const run = await inject(['-f', '-'], { stdin: toYamlStream([deployment]) });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /^Deployment default\/web: warning: container "app" defines JAVA_TOOL_OPTIONS with valueFrom/,
    );
    assert.doesNotMatch(run.stdout, /Deployment default\/web: warning/);
    assert.doesNotThrow(() => parse(run.stdout));
  });
});

describe('inject: namespace, config and Kubernetes version', () => {
  const config = {
    admission_inject: { ddtrace: { enabled_namespaces: [{ namespace: 'team-.*', language: 'python' }] } },
  };
  const plain = (namespace?: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: namespace === undefined ? { name: 'web' } : { name: 'web', namespace },
    spec: {
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'web:1' }] },
      },
    },
  });
  const initImages = (stdout: string) =>
    namesOf(templateOf(documentsOf(stdout)[0], ['spec', 'template']).spec.initContainers);

  it("targets by the document's namespace with rules from --config", async () => {
    const file = writeScratchFile('config.json', JSON.stringify(config));
    const run = await inject(['--config', file, '-f', '-'], { stdin: toYamlStream([plain('team-a')]) });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(initImages(run.stdout), [DDTRACE_INIT_CONTAINER]);
  });

  it('uses --namespace for a document without one, and default otherwise', async () => {
    const file = writeScratchFile('config-ns.json', JSON.stringify(config));
    const inTeam = await inject(['--config', file, '-n', 'team-b', '-f', '-'], {
      stdin: toYamlStream([plain()]),
    });
    assert.deepEqual(initImages(inTeam.stdout), [DDTRACE_INIT_CONTAINER]);
    const inDefault = await inject(['--config', file, '-f', '-'], { stdin: toYamlStream([plain()]) });
    assert.deepEqual(initImages(inDefault.stdout), []);
  });

  it('reads the config from the same environment as serve when --config is absent', async () => {
    const env = { ENV_JSON_CONFIG: JSON.stringify(config) };
    const run = await inject(['-f', '-'], { stdin: toYamlStream([plain('team-c')]), env });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(initImages(run.stdout), [DDTRACE_INIT_CONTAINER]);
  });

  const logfwdJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'batch' },
    spec: {
      template: {
        metadata: {
          annotations: {
            'admission.datakit/logfwd.instances': JSON.stringify([
              {
                datakit_addr: 'datakit-service.datakit.svc:9533',
                loggings: [{ logfiles: ['/var/log/app/*.log'] }],
              },
            ]),
          },
        },
        spec: { restartPolicy: 'Never', containers: [{ name: 'batch', image: 'batch:1' }] },
      },
    },
  };

  it("runs a Job's sidecar natively when --kubernetes-version says the server has native sidecars", async () => {
    const run = await inject(['-f', '-', '--kubernetes-version', '1.30'], {
      stdin: toYamlStream([logfwdJob]),
    });
    assert.equal(run.code, 0, run.stderr);
    const template = templateOf(documentsOf(run.stdout)[0], ['spec', 'template']);
    const sidecar = template.spec.initContainers?.find((container) => container['name'] === 'datakit-logfwd');
    assert.equal(sidecar?.['restartPolicy'], 'Always');
    assert.equal(template.spec['restartPolicy'], 'Never');
  });

  it("takes the Kubernetes version from the config's kubernetes_version", async () => {
    const file = writeScratchFile('config-version.json', JSON.stringify({ kubernetes_version: '1.29' }));
    const run = await inject(['--config', file, '-f', '-'], { stdin: toYamlStream([logfwdJob]) });
    const template = templateOf(documentsOf(run.stdout)[0], ['spec', 'template']);
    assert.deepEqual(namesOf(template.spec.initContainers), ['datakit-logfwd']);
  });

  it('warns on stderr that a Job will not complete when the server version is unknown', async () => {
    const run = await inject(['-f', '-'], { stdin: toYamlStream([logfwdJob]) });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^Job default\/batch: warning: .*will not complete/m);
    const template = templateOf(documentsOf(run.stdout)[0], ['spec', 'template']);
    assert.ok(namesOf(template.spec.containers).includes('datakit-logfwd'));
  });
});

describe('inject: bad input (exit 1) and usage errors (exit 2)', () => {
  it('names the document, line and column of a YAML syntax error', async () => {
    const file = writeScratchFile(
      'broken.yaml',
      'kind: ConfigMap\n---\nkind: Pod\nspec: [1, 2\nmetadata: {}\n',
    );
    const run = await inject(['-f', file]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: document 2: line 5, column \\d+: `),
    );
  });

  it('names the document and the field when a document has no kind', async () => {
    const run = await inject(['-f', '-'], {
      stdin: 'kind: ConfigMap\n---\napiVersion: v1\nmetadata: {name: x}\n',
    });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^<stdin>: document 2: kind: is missing/);
  });

  it('names the field of a malformed workload', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { replicas: 1 },
    };
    const run = await inject(['-f', '-'], { stdin: toYamlStream([deployment]) });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^<stdin>: document 1: spec\.template: is missing/);
  });

  it('names an unquoted boolean annotation and says how to fix it', async () => {
    const text =
      'kind: Pod\nmetadata:\n  annotations:\n    admission.datakit/enabled: false\nspec:\n  containers: [{name: a}]\n';
    const run = await inject(['-f', '-'], { stdin: text });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /metadata\.annotations\["admission\.datakit\/enabled"\]: false is not a string; quote it/,
    );
  });

  it('rejects an input without any object', async () => {
    const run = await inject(['-f', '-'], { stdin: '# nothing here\n---\n' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^<stdin>: no Kubernetes objects found/);
  });

  it('names a file that cannot be read', async () => {
    const run = await inject(['-f', '/nonexistent/dko/manifest.yaml']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot read \/nonexistent\/dko\/manifest\.yaml: no such file/);
  });

  it('prints every problem of an invalid --config file', async () => {
    const bad = { admission_inject: { ddtrace: { images: { java_agent_image: 'Not An Image' } } } };
    const file = writeScratchFile('bad-config.json', JSON.stringify(bad));
    const run = await inject(['--config', file, '-f', '-'], { stdin: 'kind: ConfigMap\n' });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /admission_inject\.ddtrace\.images\.java_agent_image: "Not An Image"/);
  });

  it('previews like the operator runs: without the config entries it ignores, warning about each', async () => {
    const upstream = {
      admission_inject: { ddtrace: { enabled_namespaces: [{ namespace: 'a', language: 'jaav' }] } },
    };
    const file = writeScratchFile('upstream-config.json', JSON.stringify(upstream));
    const run = await inject(['--config', file, '-f', '-'], { stdin: 'kind: ConfigMap\n' });
    assert.equal(run.code, 0);
    assert.match(
      run.stderr,
      /warning: admission_inject\.ddtrace\.enabled_namespaces\[0\]\.language: "jaav" .*ignored/,
    );
    const strict = await inject(['--strict', '--config', file, '-f', '-'], { stdin: 'kind: ConfigMap\n' });
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /--strict: 1 warning\(s\)/);
  });

  const usage: readonly [string, readonly string[], RegExp][] = [
    ['a missing -f', [], /inject needs -f FILE/],
    ['an unknown flag', ['-f', '-', '--frobnicate'], /frobnicate/],
    ['an unknown -o format', ['-f', '-', '-o', 'xml'], /-o "xml" is not one of yaml, json/],
    [
      'a Kubernetes version that is not one',
      ['-f', '-', '--kubernetes-version', 'newest'],
      /--kubernetes-version: "newest"/,
    ],
    ['an extra argument', ['-f', '-', 'extra.yaml'], /unexpected argument/],
  ];
  for (const [name, args, message] of usage) {
    it(`exits 2 with usage for ${name}`, async () => {
      const run = await inject(args, { stdin: 'kind: ConfigMap\n' });
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Usage: datakit-operator inject -f FILE\|-/);
    });
  }

  it('prints its usage for --help and exits 0', async () => {
    const run = await inject(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: datakit-operator inject/);
  });
});
