import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkMetadataShape, checkPodSpecShape } from './pod-shape.ts';

const PATH = 'spec.template.spec';

describe('checkPodSpecShape', () => {
  const problems: readonly [string, unknown, string, RegExp][] = [
    ['a missing spec', undefined, PATH, /is missing/],
    ['a spec that is a list', [], PATH, /must be an object, not an array/],
    ['missing containers', {}, `${PATH}.containers`, /at least one container/],
    ['containers that are a map', { containers: { a: 1 } }, `${PATH}.containers`, /must be a list/],
    ['a container that is a string', { containers: ['nginx'] }, `${PATH}.containers[0]`, /must be an object/],
    [
      'a container without a name',
      { containers: [{ image: 'x' }] },
      `${PATH}.containers[0].name`,
      /is missing/,
    ],
    [
      'a numeric container name',
      { containers: [{ name: 7 }] },
      `${PATH}.containers[0].name`,
      /must be a string/,
    ],
    [
      'an env entry without a name',
      { containers: [{ name: 'a', env: [{ value: 'x' }] }] },
      `${PATH}.containers[0].env[0].name`,
      /is missing/,
    ],
    [
      'a volume mount without a mountPath',
      { containers: [{ name: 'a' }], initContainers: [{ name: 'i', volumeMounts: [{ name: 'v' }] }] },
      `${PATH}.initContainers[0].volumeMounts[0].mountPath`,
      /is missing/,
    ],
    [
      'volumes that are a string',
      { containers: [{ name: 'a' }], volumes: 'v' },
      `${PATH}.volumes`,
      /must be a list/,
    ],
  ];
  for (const [name, spec, path, message] of problems) {
    it(`reports ${name} at ${path}`, () => {
      const problem = checkPodSpecShape(spec, PATH);
      assert.equal(problem?.path, path);
      assert.match(problem?.message ?? '', message);
    });
  }

  it('accepts a usual spec, with null lists counted as absent', () => {
    const spec = {
      containers: [
        { name: 'a', env: [{ name: 'X', value: '1' }], volumeMounts: [{ name: 'v', mountPath: '/v' }] },
      ],
      initContainers: null,
      volumes: [{ name: 'v', emptyDir: {} }],
    };
    assert.equal(checkPodSpecShape(spec, PATH), undefined);
  });
});

describe('checkMetadataShape', () => {
  it('names an annotation whose value is not a string and says how to quote it', () => {
    const problem = checkMetadataShape({ annotations: { 'admission.datakit/enabled': false } }, 'metadata');
    assert.equal(problem?.path, 'metadata.annotations["admission.datakit/enabled"]');
    assert.match(problem?.message ?? '', /false is not a string; quote it: "false"/);
  });

  it('names a label whose value is a number', () => {
    const problem = checkMetadataShape({ labels: { version: 2 } }, 'spec.template.metadata');
    assert.equal(problem?.path, 'spec.template.metadata.labels.version');
  });

  it('accepts absent metadata and string maps', () => {
    assert.equal(checkMetadataShape(undefined, 'metadata'), undefined);
    assert.equal(checkMetadataShape({ labels: { a: 'b' }, annotations: null }, 'metadata'), undefined);
  });
});
