import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintOperatorAnnotations } from './annotation-lint.ts';
import { editDistanceAtMost } from '../text/edit-distance.ts';

describe('lintOperatorAnnotations', () => {
  const cases: readonly {
    readonly name: string;
    readonly pod?: Record<string, unknown>;
    readonly workload?: Record<string, unknown>;
    readonly expected: readonly RegExp[];
  }[] = [
    { name: 'no operator annotations', pod: { 'app.kubernetes.io/name': 'web' }, expected: [] },
    {
      name: 'every known key with good values',
      pod: {
        'admission.datakit/enabled': 'true',
        'admission.datakit/ddtrace.enabled': 'F',
        'admission.datakit/java-lib.version': '',
        'admission.datakit/logfwd.instances': '[]',
        'admission.datakit/container-names': 'app',
      },
      expected: [],
    },
    {
      name: 'a misspelt key',
      pod: { 'admission.datakit/java-lib.verison': '' },
      expected: [
        /java-lib\.verison is not one the operator reads; did you mean admission\.datakit\/java-lib\.version\?/,
      ],
    },
    {
      name: 'a key far from every known one',
      pod: { 'admission.datakit/something-else': 'x' },
      expected: [/something-else is not one the operator reads; it is ignored$/],
    },
    {
      name: 'a language without an agent',
      pod: { 'admission.datakit/ruby-lib.version': 'v1' },
      expected: [/no agent for "ruby" \(languages: java, python, nodejs, js, php\)/],
    },
    {
      name: 'an OpenTelemetry language without an agent',
      pod: { 'admission.datakit/otel-php-lib.version': 'v1' },
      expected: [/no OpenTelemetry agent for "php" \(languages: java, python, nodejs\)/],
    },
    {
      name: 'the OpenTelemetry annotations are known',
      pod: {
        'admission.datakit/otel.enabled': 'true',
        'admission.datakit/otel-java-lib.version': '2.29.0',
        'admission.datakit/otel-python-lib.version': '',
        'admission.datakit/otel-nodejs-lib.version': '',
      },
      expected: [],
    },
    {
      name: 'otel.enabled that is not a boolean',
      pod: { 'admission.datakit/otel.enabled': 'yes' },
      expected: [/otel\.enabled: "yes" is not a boolean/],
    },
    {
      name: 'a switch that is not a boolean',
      pod: { 'admission.datakit/enabled': 'flase' },
      expected: [/admission\.datakit\/enabled: "flase" is not a boolean .*it counts as true/],
    },
    {
      name: 'operator annotations on the workload instead of the pod template',
      pod: {},
      workload: { 'admission.datakit/java-lib.version': '', 'deployment.kubernetes.io/revision': '3' },
      expected: [
        /java-lib\.version is on the Deployment's own metadata.*spec\.template\.metadata\.annotations/,
      ],
    },
    {
      name: 'the same annotation on both: the pod template has it, nothing to move',
      pod: { 'admission.datakit/java-lib.version': '' },
      workload: { 'admission.datakit/java-lib.version': '' },
      expected: [],
    },
    {
      name: 'a very long unknown key gets no suggestion (bounded cost)',
      pod: { [`admission.datakit/${'x'.repeat(5000)}`]: '' },
      expected: [/is not one the operator reads; it is ignored$/],
    },
  ];
  for (const { name, pod, workload, expected } of cases) {
    it(name, () => {
      const warnings = lintOperatorAnnotations({ pod, workload, workloadKind: 'Deployment' });
      assert.equal(warnings.length, expected.length, warnings.join('\n'));
      expected.forEach((pattern, index) => assert.match(warnings[index] ?? '', pattern));
    });
  }
});

describe('editDistanceAtMost', () => {
  const cases: readonly [string, string, number, number | undefined][] = [
    ['', '', 0, 0],
    ['abc', 'abc', 2, 0],
    ['verison', 'version', 3, 2],
    ['kitten', 'sitting', 3, 3],
    ['kitten', 'sitting', 2, undefined],
    ['a', 'abcdef', 3, undefined],
    ['flaw', 'lawn', 2, 2],
  ];
  for (const [a, b, limit, expected] of cases) {
    it(`${JSON.stringify(a)} ~ ${JSON.stringify(b)} within ${limit}: ${expected ?? 'over'}`, () => {
      assert.equal(editDistanceAtMost(a, b, limit), expected);
      assert.equal(editDistanceAtMost(b, a, limit), expected);
    });
  }
});
