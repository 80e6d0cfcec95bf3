import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from '../config/load.ts';
import { editPlan, injected } from '../mutation/outcomes.ts';
import type { Feature } from '../mutation/plan.ts';
import { injectDocument, type InjectOptions } from './inject-document.ts';

const loaded = parseConfigText('{}', 'test', {});
if (!loaded.ok) throw loaded.error;

/**
 * Records the namespace it was given as its summary, which the core writes into the
 * `admission.datakit/injected` annotation: a test can see which namespace the core ran with.
 */
const recordingFeature: Feature = {
  name: 'ddtrace',
  select: (_pod, ctx) => ({
    selected: true,
    plan: () => editPlan(injected('ddtrace', 'annotation', ctx.namespace, 'recorded the namespace'), []),
  }),
};

const throwingFeature: Feature = {
  name: 'logfwd',
  select: () => ({
    selected: true,
    plan: () => {
      throw new Error('boom');
    },
  }),
};

const options: InjectOptions = {
  config: loaded.value.config,
  serverVersion: undefined,
  defaultNamespace: 'fallback',
  features: [recordingFeature],
};

const podSpec = () => ({ containers: [{ name: 'app', image: 'app:1' }] });
const template = () => ({ metadata: { labels: { app: 'x' } }, spec: podSpec() });

function annotationsAt(
  value: unknown,
  path: readonly (string | number)[],
): Record<string, string> | undefined {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  return (current as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations;
}

/** The namespace the recording feature saw, read back from the status annotation. */
function seenNamespace(value: unknown, path: readonly (string | number)[]): unknown {
  const injectedText = annotationsAt(value, path)?.['admission.datakit/injected'];
  return injectedText === undefined ? undefined : (JSON.parse(injectedText) as { ddtrace?: unknown }).ddtrace;
}

describe('injectDocument', () => {
  const workloads: readonly [string, Record<string, unknown>, readonly (string | number)[], string][] = [
    ['Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec() }, [], ''],
    [
      'Deployment',
      { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: template() } },
      ['spec', 'template'],
      'spec.template',
    ],
    [
      'Job',
      { apiVersion: 'batch/v1', kind: 'Job', spec: { template: template() } },
      ['spec', 'template'],
      'spec.template',
    ],
    [
      'CronJob',
      { apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: { spec: { template: template() } } } },
      ['spec', 'jobTemplate', 'spec', 'template'],
      'spec.jobTemplate.spec.template',
    ],
  ];
  for (const [kind, document, path, templatePath] of workloads) {
    it(`runs the core on the pod template of a ${kind} and leaves the input untouched`, () => {
      const before = structuredClone(document);
      const result = injectDocument(document, options);
      assert.ok(result.ok);
      assert.deepEqual(document, before);
      assert.equal(seenNamespace(result.value.document, path), 'fallback');
      const [decision] = result.value.decisions;
      assert.equal(decision?.type, 'template');
      if (decision?.type === 'template') {
        assert.equal(decision.templatePath, templatePath);
        assert.equal(decision.identity.kind, kind);
        assert.equal(decision.changed, true);
      }
    });
  }

  it("uses the document's own namespace before the default one", () => {
    const document = {
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'team-a' },
      spec: { template: template() },
    };
    const result = injectDocument(document, options);
    assert.ok(result.ok);
    assert.equal(seenNamespace(result.value.document, ['spec', 'template']), 'team-a');
    assert.equal(result.value.decisions[0]?.identity.namespace, 'team-a');
  });

  it('gives a template without metadata its metadata first', () => {
    const document = { kind: 'Deployment', spec: { template: { spec: podSpec() } } };
    const result = injectDocument(document, options);
    assert.ok(result.ok);
    const written = (result.value.document['spec'] as { template: object }).template;
    assert.deepEqual(Object.keys(written), ['metadata', 'spec']);
  });

  it('visits every item of a List and lends a typed list its kind', () => {
    const document = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'apps/v1',
          kind: 'DeploymentList',
          items: [{ metadata: { name: 'd' }, spec: { template: template() } }],
        },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } },
      ],
    };
    const result = injectDocument(document, options);
    assert.ok(result.ok);
    assert.deepEqual(
      result.value.decisions.map((decision) => [
        decision.type,
        decision.identity.kind,
        decision.identity.itemPath,
      ]),
      [
        ['template', 'Deployment', 'items[0].items[0]'],
        ['not-a-workload', 'ConfigMap', 'items[1]'],
      ],
    );
    assert.deepEqual((result.value.document['items'] as unknown[])[1], document.items[1]);
  });

  it('passes a non-workload through unchanged and says why', () => {
    const document = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [] } };
    const result = injectDocument(document, options);
    assert.ok(result.ok);
    assert.deepEqual(result.value.document, document);
    const [decision] = result.value.decisions;
    assert.equal(decision?.type, 'not-a-workload');
    if (decision?.type === 'not-a-workload') assert.match(decision.reason, /Service has no pod template/);
  });

  it('leaves an opted-out pod template exactly as it was', () => {
    const document = {
      kind: 'Deployment',
      spec: {
        template: { metadata: { annotations: { 'admission.datakit/enabled': 'false' } }, spec: podSpec() },
      },
    };
    const result = injectDocument(document, options);
    assert.ok(result.ok);
    assert.deepEqual(result.value.document, document);
    const [decision] = result.value.decisions;
    assert.equal(decision?.type === 'template' && decision.outcomes[0]?.reason, 'pod-opted-out');
  });

  const problems: readonly [string, unknown, string, RegExp][] = [
    ['a document that is a list', [1, 2], '', /not an object/],
    ['a document without kind', { metadata: { name: 'x' } }, 'kind', /is missing/],
    ['a kind that is not a string', { kind: 3 }, 'kind', /must be a string/],
    [
      'a Deployment without template',
      { kind: 'Deployment', spec: {} },
      'spec.template',
      /needs a pod template/,
    ],
    [
      'a CronJob whose jobTemplate is a string',
      { kind: 'CronJob', spec: { jobTemplate: 'x' } },
      'spec.jobTemplate',
      /must be an object/,
    ],
    [
      'an unquoted boolean annotation inside a List item',
      {
        kind: 'List',
        items: [
          { kind: 'ConfigMap' },
          {
            kind: 'Deployment',
            spec: {
              template: {
                metadata: { annotations: { 'admission.datakit/enabled': false } },
                spec: podSpec(),
              },
            },
          },
        ],
      },
      'items[1].spec.template.metadata.annotations["admission.datakit/enabled"]',
      /quote it/,
    ],
    ['a List whose items is a map', { kind: 'List', items: {} }, 'items', /must be a list/],
    ['a Pod without containers', { kind: 'Pod', spec: {} }, 'spec.containers', /at least one container/],
  ];
  for (const [name, document, path, message] of problems) {
    it(`rejects ${name}, naming ${path === '' ? 'the document' : path}`, () => {
      const result = injectDocument(document, options);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.path ?? '', path);
      assert.match(result.error.message, message);
    });
  }

  it('reports an injector failure at the template instead of throwing', () => {
    const document = { kind: 'StatefulSet', spec: { template: template() } };
    const result = injectDocument(document, { ...options, features: [throwingFeature] });
    assert.deepEqual(result, {
      ok: false,
      error: {
        code: 'DKO_ERR_MUTATION_FAILED',
        path: 'spec.template',
        message: 'spec.template: the injection failed: boom',
      },
    });
  });
});
