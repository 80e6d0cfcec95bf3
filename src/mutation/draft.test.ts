import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PodDraft } from './draft.ts';
import type { Pod } from '../podspec/types.ts';
import { deepFreeze } from '../podspec/deep-freeze.ts';

function frozenPod(): Pod {
  const pod: Pod = {
    metadata: { name: 'p', labels: { app: 'x' } },
    spec: {
      containers: [
        { name: 'a', env: [{ name: 'A', value: '1' }], volumeMounts: [{ name: 'v', mountPath: '/v' }] },
        { name: 'b', env: [{ name: 'B', value: '2' }] },
      ],
      volumes: [{ name: 'v', emptyDir: {} }],
      futureField: { keep: true },
    },
  };
  return structuredClone(pod);
}

describe('PodDraft', () => {
  it('is the received pod itself until something is written', () => {
    const pod = deepFreeze(frozenPod());
    const draft = new PodDraft(pod);
    assert.equal(draft.pod, pod);
    assert.equal(draft.changed, false);
  });

  it('copies only the path to an edit and shares everything else with the received pod', () => {
    const pod = deepFreeze(frozenPod());
    const draft = new PodDraft(pod);
    draft.apply({
      kind: 'add-mount',
      target: { list: 'containers', index: 1 },
      mount: { name: 'v', mountPath: '/w' },
    });
    const result = draft.pod;
    assert.notEqual(result, pod);
    assert.equal(result.metadata, pod.metadata, 'metadata untouched, shared');
    assert.equal(result.spec?.volumes, pod.spec?.volumes, 'volumes untouched, shared');
    assert.equal(result.spec?.containers?.[0], pod.spec?.containers?.[0], 'container a untouched, shared');
    assert.equal(result.spec?.containers?.[1]?.env, pod.spec?.containers?.[1]?.env, "b's env untouched");
    assert.deepEqual(result.spec?.containers?.[1]?.volumeMounts, [{ name: 'v', mountPath: '/w' }]);
    assert.equal(pod.spec?.containers?.[1]?.volumeMounts, undefined, 'the received pod is not written');
  });

  it('writes a copied object in place the second time, without copying it again', () => {
    const pod = deepFreeze(frozenPod());
    const draft = new PodDraft(pod);
    draft.apply({ kind: 'add-volume', volume: { name: 'x' } });
    const volumes = draft.pod.spec?.volumes;
    draft.apply({ kind: 'add-volume', volume: { name: 'y' } });
    assert.equal(draft.pod.spec?.volumes, volumes);
    assert.deepEqual(
      volumes?.map((volume) => volume.name),
      ['v', 'x', 'y'],
    );
  });

  it('creates missing objects and arrays: spec, containers lists, annotations', () => {
    const draft = new PodDraft(deepFreeze({}));
    draft.apply({ kind: 'add-container', list: 'initContainers', container: { name: 'init' } });
    draft.apply({ kind: 'set-spec-field', field: 'shareProcessNamespace', value: true });
    draft.setAnnotation('admission.datakit/injected', '{}');
    draft.apply({ kind: 'set-annotation', key: 'datakit/logs', value: '[]' });
    assert.deepEqual(draft.pod, {
      spec: { initContainers: [{ name: 'init' }], shareProcessNamespace: true },
      metadata: { annotations: { 'admission.datakit/injected': '{}', 'datakit/logs': '[]' } },
    });
  });

  it('replaces a container env with the planned list and leaves the list given to it alone', () => {
    const pod = deepFreeze(frozenPod());
    const draft = new PodDraft(pod);
    const env = Object.freeze([...(pod.spec?.containers?.[0]?.env ?? []), { name: 'C', value: '3' }]);
    draft.apply({ kind: 'set-env', target: { list: 'containers', index: 0 }, env });
    draft.apply({
      kind: 'add-mount',
      target: { list: 'containers', index: 0 },
      mount: { name: 'v', mountPath: '/x' },
    });
    assert.deepEqual(
      draft.pod.spec?.containers?.[0]?.env?.map((entry) => entry.name),
      ['A', 'C'],
    );
    assert.equal(draft.pod.spec?.containers?.[0]?.env?.[0], pod.spec?.containers?.[0]?.env?.[0]);
  });

  it('refuses to edit a field of the wrong shape instead of corrupting it', () => {
    const draft = new PodDraft({ spec: { containers: 'oops' } } as unknown as Pod);
    assert.throws(
      () => draft.apply({ kind: 'add-container', list: 'containers', container: { name: 'x' } }),
      /field "containers" of the pod is a string/,
    );
  });
});
