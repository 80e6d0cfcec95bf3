import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toCachedPod } from './cached-pod.ts';
import { renderPod, trimPodForEbpfV1 } from './views.ts';
import { apiServerPod } from './fixtures.test-support.ts';

describe('the cached pod', () => {
  it('drops managedFields and the last-applied annotation and keeps everything else', () => {
    const raw = apiServerPod('web', 'nginx', 'node-a');
    const cached = toCachedPod({ apiVersion: 'v1', kind: 'Pod', ...raw });
    const expected = structuredClone(raw) as { metadata: Record<string, unknown> };
    delete expected.metadata['managedFields'];
    expected.metadata['annotations'] = { 'team.example/owner': 'web' };
    assert.deepEqual(cached, expected);
  });

  it('drops the annotations field when the last-applied annotation was the only one', () => {
    const raw = apiServerPod('web', 'nginx', 'node-a') as { metadata: Record<string, unknown> };
    raw.metadata['annotations'] = { 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
    assert.equal('annotations' in (toCachedPod(raw)?.metadata ?? {}), false);
  });

  it('refuses objects without a name or a namespace', () => {
    assert.equal(toCachedPod({ metadata: { namespace: 'a' } }), undefined);
    assert.equal(toCachedPod({ metadata: { name: 'a' } }), undefined);
    assert.equal(toCachedPod(null), undefined);
  });
});

describe('view=ebpf-v1', () => {
  it('keeps exactly the fields of upstream trimPodForEBPFV1', () => {
    const cached = toCachedPod(apiServerPod('web', 'nginx', 'node-a'));
    assert.ok(cached);
    assert.deepEqual(trimPodForEbpfV1(cached), {
      metadata: {
        uid: 'uid-web-nginx',
        name: 'nginx',
        namespace: 'web',
        labels: { app: 'nginx' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nginx-rs', uid: 'rs-uid' }],
      },
      spec: {
        containers: [{ name: 'app', ports: [{ containerPort: 80, protocol: 'TCP' }] }, { name: 'sidecar' }],
        hostNetwork: true,
      },
      status: {
        hostIP: '10.0.0.1',
        podIP: '10.1.0.5',
        podIPs: [{ ip: '10.1.0.5' }],
        startTime: '2026-01-01T00:00:05Z',
      },
    });
  });

  it('never carries env values, images or annotations', () => {
    const cached = toCachedPod(apiServerPod('web', 'nginx', 'node-a'));
    assert.ok(cached);
    const text = JSON.stringify(renderPod(cached, 'ebpf-v1'));
    for (const secret of ['secret', 'nginx:1.27', 'team.example', 'Running'])
      assert.equal(text.includes(secret), false, secret);
  });

  it('the full view is the cached pod itself', () => {
    const cached = toCachedPod(apiServerPod('web', 'nginx', 'node-a'));
    assert.ok(cached);
    assert.equal(renderPod(cached, 'full'), cached);
  });
});
