// `explain` in-process: one block per pod template with each feature's decision and its reason.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  JAVA_ANNOTATION,
  explain,
  javaTemplate,
  toYamlStream,
  useScratchDir,
  workloadCases,
} from './support.ts';

const scratch = useScratchDir();

const FEATURES = ['ddtrace', 'logfwd', 'profiler'];

function deployment(name: string, template: unknown, namespace?: string): Record<string, unknown> {
  const metadata = namespace === undefined ? { name } : { name, namespace };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { template } };
}

describe('explain: text', () => {
  it("prints each feature's decision and reason for a pod template", async () => {
    const run = await explain(['-f', '-'], {
      stdin: toYamlStream([deployment('web', javaTemplate('web'), 'shop')]),
    });
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], 'Deployment shop/web (pod template)');
    assert.match(lines[1] ?? '', /^ {2}ddtrace {3}injected {2}java:\S+dd-lib-java-init:\S+$/);
    assert.match(
      lines[2] ?? '',
      new RegExp(`^ {22}java agent .* into "web" \\(annotation ${JAVA_ANNOTATION}: ""\\)$`),
    );
    assert.match(lines[3] ?? '', /^ {2}logfwd {4}skipped {3}not-targeted: /);
    assert.match(lines[4] ?? '', /^ {2}profiler {2}skipped {3}not-targeted: .*namespace "shop"/);
    assert.doesNotMatch(run.stdout, /apiVersion/, 'explain does not print the manifests');
  });

  it('names the admission_inject_v2 rule that chose the pod, and the rules that need an annotation it lacks', async () => {
    const rules = {
      admission_inject_v2: {
        ddtraces: [
          {
            name: 'php-shop',
            namespace_selectors: ['shop'],
            check_annotation: true,
            language: 'php',
            image: 'pubrepo.guance.com/datakit-operator/dd-lib-php-init:1.13.1',
          },
          {
            name: 'java-web',
            label_selectors: ['app=web'],
            language: 'java',
            image: 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.60.4-ext',
          },
        ],
      },
    };
    const config = scratch('v2.json', JSON.stringify(rules));
    const web = { metadata: { labels: { app: 'web' } }, spec: javaTemplate('web').spec };
    const other = { metadata: { labels: { app: 'db' } }, spec: javaTemplate('db').spec };
    const run = await explain(['-f', '-', '--config', config], {
      stdin: toYamlStream([deployment('web', web, 'shop'), deployment('db', other, 'shop')]),
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /java agent \S+ into "web" \(rule admission_inject_v2\.ddtraces\[1\] \("java-web"\): the pod's labels match "app=web"\)/,
    );
    assert.match(
      run.stdout,
      /ddtrace {3}skipped {3}not-targeted: .*admission_inject_v2\.ddtraces\[0\] \("php-shop"\) needs annotation admission\.datakit\/php-lib\.version/,
    );
  });

  it('says why OpenTelemetry was or was not chosen: the rule, DDTrace precedence, a missing annotation', async () => {
    const otelImage = 'ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.29.0';
    const rules = {
      admission_inject_v2: {
        ddtraces: [
          {
            name: 'dd-legacy',
            label_selectors: ['tracer=dd'],
            language: 'java',
            image: 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.60.4-ext',
          },
        ],
        otels: [
          {
            name: 'otel-java',
            namespace_selectors: ['shop'],
            label_selectors: ['admission.datakit/otel-language=java'],
            language: 'java',
            image: otelImage,
          },
          {
            name: 'otel-opt-in',
            namespace_selectors: ['shop'],
            check_annotation: true,
            language: 'python',
            image: otelImage,
          },
        ],
      },
    };
    const config = scratch('otel.json', JSON.stringify(rules));
    const withLabels = (labels: Record<string, string>) => ({
      metadata: { labels },
      spec: javaTemplate('web').spec,
    });
    const run = await explain(['-f', '-', '--config', config], {
      stdin: toYamlStream([
        deployment('otel', withLabels({ 'admission.datakit/otel-language': 'java' }), 'shop'),
        deployment('both', withLabels({ 'admission.datakit/otel-language': 'java', tracer: 'dd' }), 'shop'),
        deployment('none', withLabels({}), 'shop'),
      ]),
    });
    assert.equal(run.code, 0, run.stderr);
    const [otel = '', both = '', none = ''] = run.stdout.split('\n\n');
    assert.match(otel, /^ {2}otel {6}injected {2}java:ghcr\.io\/\S+autoinstrumentation-java:2\.29\.0$/m);
    assert.match(
      otel,
      /OpenTelemetry java agent \S+ into "web" \(rule admission_inject_v2\.otels\[0\] \("otel-java"\): namespace "shop" matches "shop" and the pod's labels match "admission\.datakit\/otel-language=java"\)/,
    );
    assert.match(both, /^ {2}ddtrace {3}injected /m);
    assert.match(
      both,
      /^ {2}otel {6}skipped {3}other-tracer: otel not injected: ddtrace also chose this pod and takes precedence.*admission\.datakit\/ddtrace\.enabled: "false"/m,
    );
    assert.match(
      none,
      /^ {2}otel {6}skipped {3}not-targeted: .*admission_inject_v2\.otels\[1\] \("otel-opt-in"\) needs annotation admission\.datakit\/otel-python-lib\.version/m,
    );
  });

  it('answers "why was my pod not injected?" for an opted-out pod, feature by feature', async () => {
    const template = javaTemplate('web');
    template.metadata = { annotations: { 'admission.datakit/enabled': 'false', [JAVA_ANNOTATION]: '' } };
    const run = await explain(['-f', '-'], { stdin: toYamlStream([deployment('web', template)]) });
    assert.equal(run.code, 0, run.stderr);
    for (const feature of FEATURES) {
      assert.match(
        run.stdout,
        new RegExp(
          `^ {2}${feature} +skipped {3}pod-opted-out: annotation admission\\.datakit/enabled is false$`,
          'm',
        ),
      );
    }
  });

  it('shows a warning once, under the decision it belongs to', async () => {
    const invalid = javaTemplate('web');
    invalid.metadata = { annotations: { [JAVA_ANNOTATION]: 'not a tag!' } };
    const run = await explain(['-f', '-'], { stdin: toYamlStream([deployment('web', invalid)]) });
    assert.match(
      run.stdout,
      /^ {2}ddtrace {3}skipped {3}invalid-annotation: annotation admission\.datakit\/java-lib\.version: "not a tag!"/m,
    );
    assert.equal(run.stdout.split('not a valid image tag').length - 1, 1);

    const withValueFrom = javaTemplate('web');
    withValueFrom.spec.containers[0] = {
      name: 'web',
      env: [{ name: 'JAVA_TOOL_OPTIONS', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
    };
    const warned = await explain(['-f', '-'], { stdin: toYamlStream([deployment('web', withValueFrom)]) });
    assert.match(warned.stdout, /^ {22}warning: container "web" defines JAVA_TOOL_OPTIONS with valueFrom/m);
  });

  it('says that an object without a pod template is not a workload', async () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'shop' },
    };
    const run = await explain(['-f', '-'], { stdin: toYamlStream([configMap]) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      'ConfigMap shop/settings\n  not a workload: a ConfigMap has no pod template; inject passes it through unchanged\n',
    );
  });

  it('prints one block per template of every workload kind and per List item, in order', async () => {
    const manifests = workloadCases().map(({ manifest }) => manifest);
    const list = { apiVersion: 'v1', kind: 'List', items: manifests.slice(0, 2) };
    const run = await explain(['-f', '-'], { stdin: toYamlStream([...manifests, list]) });
    assert.equal(run.code, 0, run.stderr);
    const headers = run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith(' '));
    assert.deepEqual(headers, [
      'Pod default/pod (pod)',
      'Deployment default/deploy (pod template)',
      'DaemonSet default/daemon (pod template)',
      'StatefulSet default/stateful (pod template)',
      'ReplicaSet default/replicas (pod template)',
      'Job default/job (pod template)',
      'CronJob default/cron (pod template)',
      'Pod default/pod (pod, items[0])',
      'Deployment default/deploy (pod template, items[1])',
    ]);
  });
});

describe('explain: json', () => {
  it('prints the decisions as data', async () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } };
    const stdin = toYamlStream([configMap, deployment('web', javaTemplate('web'))]);
    const run = await explain(['-f', '-', '-o', 'json'], { stdin });
    assert.equal(run.code, 0, run.stderr);
    const [notWorkload, web] = JSON.parse(run.stdout) as Record<string, unknown>[];
    assert.deepEqual(notWorkload, {
      document: 1,
      item: '',
      kind: 'ConfigMap',
      namespace: '',
      name: 'settings',
      workload: false,
      reason: 'a ConfigMap has no pod template',
    });
    assert.equal(web?.['document'], 2);
    assert.equal(web?.['template'], 'spec.template');
    assert.equal(web?.['changed'], true);
    const features = web?.['features'] as {
      feature: string;
      status: string;
      reason: string;
      summary?: string;
    }[];
    assert.deepEqual(
      features.map(({ feature, status, reason }) => [feature, status, reason]),
      [
        ['ddtrace', 'injected', 'annotation'],
        ['logfwd', 'skipped', 'not-targeted'],
        ['profiler', 'skipped', 'not-targeted'],
      ],
    );
    assert.match(features[0]?.summary ?? '', /^java:/);
  });
});

describe('explain: errors', () => {
  it('exits 2 for an output format inject has but explain has not', async () => {
    const run = await explain(['-f', '-', '-o', 'yaml'], { stdin: 'kind: ConfigMap\n' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /-o "yaml" is not one of text, json/);
    assert.match(run.stderr, /Usage: datakit-operator explain/);
  });

  it('exits 1 naming the document and line of a YAML error', async () => {
    const run = await explain(['-f', '-'], { stdin: 'kind: Pod\n---\nkind: "Pod\n' });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^<stdin>: document 2: line \d+, column \d+: Missing closing "quote/);
  });
});
