import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configDocuments } from '../../support/pod-arbitrary.ts';
import { configFrom } from '../../support/admission.ts';
import { buildOperatorConfigDocument, scopeToRun } from './operator-config.ts';

const SCOPE = { namespacePrefix: 'dko-e2e-abc123-gen-', selectorRequirement: 'e2e.datakit/run=abc123' };
const RUN_LABELS = { 'e2e.datakit/run': 'abc123' };
const NAMESPACES = ['default', 'testns', 'team-a', 'team-', 'default-foo', 'middleware', 'xmiddleware'];
const LABEL_SETS: Record<string, string>[] = [
  {},
  { app: 'web' },
  { app: 'log-output', tier: 'backend' },
  { app: 'middleware-redis' },
  { tier: 'backend' },
  { app: 'middleware' },
];

function compiledRules(document: Record<string, unknown>) {
  const inject = configFrom({ admission_inject: document }).admission_inject;
  return [inject.ddtrace, inject.profiler];
}

describe('scopeToRun', () => {
  configDocuments.forEach((document, index) => {
    const admissionInject =
      (document as { admission_inject?: Record<string, unknown> }).admission_inject ?? {};

    it(`keeps every rule decision of property config ${index + 1} for the run's namespaces and pods`, () => {
      const original = compiledRules(admissionInject);
      const scoped = compiledRules(scopeToRun(admissionInject, SCOPE));
      original.forEach((feature, featureIndex) => {
        const scopedFeature = scoped[featureIndex]!;
        feature.enabled_namespaces.forEach((rule, ruleIndex) => {
          for (const namespace of NAMESPACES) {
            assert.equal(
              scopedFeature.enabled_namespaces[ruleIndex]!.pattern.matches(SCOPE.namespacePrefix + namespace),
              rule.pattern.matches(namespace),
              `${rule.namespace} on ${namespace}`,
            );
          }
        });
        feature.enabled_labelselectors.forEach((rule, ruleIndex) => {
          for (const labels of LABEL_SETS) {
            assert.equal(
              scopedFeature.enabled_labelselectors[ruleIndex]!.selector.matches({ ...labels, ...RUN_LABELS }),
              rule.selector.matches(labels),
              `${rule.labelselector} on ${JSON.stringify(labels)}`,
            );
          }
        });
      });
    });
  });

  it('keeps the rules away from namespaces and pods outside the run', () => {
    const [ddtrace] = compiledRules(
      scopeToRun(
        {
          ddtrace: {
            enabled_namespaces: [{ namespace: '*', language: 'java' }],
            enabled_labelselectors: [{ labelselector: 'app', language: 'java' }],
          },
        },
        SCOPE,
      ),
    );
    assert.equal(ddtrace!.enabled_namespaces[0]!.pattern.matches('default'), false);
    assert.equal(ddtrace!.enabled_namespaces[0]!.pattern.matches(`${SCOPE.namespacePrefix}default`), true);
    assert.equal(ddtrace!.enabled_labelselectors[0]!.selector.matches({ app: 'x' }), false);
    assert.equal(ddtrace!.enabled_labelselectors[0]!.selector.matches({ app: 'x', ...RUN_LABELS }), true);
  });

  it('leaves the document it was given unchanged', () => {
    const document = { ddtrace: { enabled_namespaces: [{ namespace: 'a', language: 'java' }] } };
    const before = structuredClone(document);
    scopeToRun(document, SCOPE);
    assert.deepStrictEqual(document, before);
  });

  it('refuses a rule whose key it would not rewrite', () => {
    assert.throws(
      () => scopeToRun({ ddtrace: { enabled_namespaces: [{ Namespace: 'a', language: 'java' }] } }, SCOPE),
      /has no "namespace" key/,
    );
  });
});

describe('buildOperatorConfigDocument', () => {
  it('is a valid operator configuration with the runtime settings and the journey rules', () => {
    const document = buildOperatorConfigDocument(
      {
        serverListen: '127.0.0.1:9000',
        healthListen: '127.0.0.1:9001',
        namespace: 'ops',
        tls: { mode: 'files', cert_file: '/c', key_file: '/k' },
      },
      { logfwd: { options: { reuse_exist_volume: 'true' } } },
    );
    const config = configFrom(document);
    assert.equal(config.server_listen, '127.0.0.1:9000');
    assert.equal(config.namespace, 'ops');
    assert.equal(config.tls.mode, 'files');
    assert.equal(config.admission_inject.logfwd.options.reuse_exist_volume, true);
  });
});
