import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { Container, Pod } from '../../../src/podspec/types.ts';
import { configFrom } from '../../support/admission.ts';
import { configDocuments, podArbitrary } from '../../support/pod-arbitrary.ts';
import { predictAdmission } from './prediction.ts';
import { webhookViewOf } from './webhook-view.ts';

/**
 * What the API server does to a pod on its way to storage, as far as webhook-view.ts claims to see
 * through it: Go's omitempty, the v1 defaults, unknown fields dropped, and fields it adds on its own.
 */
function asStoredByApiServer(pod: Pod): Pod {
  const stored = JSON.parse(JSON.stringify(pod)) as Pod;
  const containers = [...(stored.spec?.containers ?? []), ...(stored.spec?.initContainers ?? [])];
  for (const container of containers) {
    delete container['futureField'];
    Object.assign(container, {
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
    });
    for (const env of container.env ?? []) {
      if (env.value === '') delete env.value;
      const valueFrom = env.valueFrom as Record<string, Record<string, unknown>> | undefined;
      if (valueFrom?.['fieldRef']) valueFrom['fieldRef']['apiVersion'] ??= 'v1';
      if (valueFrom?.['resourceFieldRef']) valueFrom['resourceFieldRef']['divisor'] ??= '0';
    }
    for (const mount of container.volumeMounts ?? []) if (mount.readOnly === false) delete mount.readOnly;
    if (container.volumeMounts?.length === 0) delete container.volumeMounts;
    if (container.env?.length === 0) delete container.env;
  }
  for (const volume of stored.spec?.volumes ?? []) {
    const hostPath = volume['hostPath'] as Record<string, unknown> | undefined;
    if (hostPath) hostPath['type'] ??= '';
  }
  Object.assign(stored.spec!, {
    dnsPolicy: 'ClusterFirst',
    restartPolicy: stored.spec?.restartPolicy ?? 'Always',
  });
  stored.metadata = { ...stored.metadata, uid: 'u-1', resourceVersion: '7' };
  return stored;
}

describe('webhookViewOf', () => {
  configDocuments.forEach((document, index) => {
    it(`sees the core's prediction through the API server's defaults (property config ${index + 1})`, () => {
      const config = configFrom(document);
      const pods = fc.sample(podArbitrary, { seed: 77 + index, numRuns: 150 });
      let mutated = 0;
      for (const { pod, namespace } of pods) {
        const prediction = predictAdmission(pod, namespace, config, { major: 1, minor: 36 });
        if (prediction.result === 'mutated') mutated += 1;
        assert.deepStrictEqual(
          webhookViewOf(asStoredByApiServer(prediction.pod)),
          webhookViewOf(prediction.pod),
        );
      }
      assert.ok(mutated > 0);
    });
  });

  const base: Pod = {
    metadata: { annotations: { a: '1' } },
    spec: {
      containers: [
        {
          name: 'app',
          env: [{ name: 'X', value: 'x' }],
          volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true }],
        },
      ],
      volumes: [{ name: 'v', emptyDir: {} }],
    },
  };
  const app = (pod: Pod): Container => pod.spec!.containers![0]!;
  const differences: { title: string; change: (pod: Pod) => void }[] = [
    { title: 'a missing env', change: (pod) => app(pod).env!.pop() },
    { title: 'another env value', change: (pod) => (app(pod).env![0]!.value = 'y') },
    { title: 'env in another order', change: (pod) => app(pod).env!.unshift({ name: 'W', value: 'w' }) },
    {
      title: 'a read-only mount made writable',
      change: (pod) => (app(pod).volumeMounts![0]!.readOnly = false),
    },
    {
      title: 'another volume source',
      change: (pod) => (pod.spec!.volumes![0] = { name: 'v', hostPath: { path: '/' } }),
    },
    { title: 'an extra container', change: (pod) => pod.spec!.containers!.push({ name: 'sidecar' }) },
    { title: 'a native sidecar turned regular', change: (pod) => (app(pod).restartPolicy = 'Always') },
    { title: 'a changed annotation', change: (pod) => (pod.metadata!.annotations!['a'] = '2') },
    { title: 'shareProcessNamespace set', change: (pod) => (pod.spec!.shareProcessNamespace = true) },
  ];
  for (const { title, change } of differences) {
    it(`tells pods apart that differ by ${title}`, () => {
      const changed = structuredClone(base);
      change(changed);
      assert.equal(isDeepStrictEqual(webhookViewOf(changed), webhookViewOf(base)), false);
    });
  }

  it('ignores the random suffix of the ServiceAccount token volume, and only that', () => {
    const withToken = (suffix: string): Pod => ({
      spec: {
        containers: [
          { name: 'app', volumeMounts: [{ name: `kube-api-access-${suffix}`, mountPath: '/var/run/x' }] },
        ],
        volumes: [{ name: `kube-api-access-${suffix}`, projected: { sources: [] } }],
      },
    });
    assert.deepStrictEqual(webhookViewOf(withToken('x7k2p')), webhookViewOf(withToken('q9r4z')));
    assert.notDeepStrictEqual(webhookViewOf(withToken('x7k2p')), webhookViewOf(withToken('other-name')));
  });
});
