import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ElectionStore } from '../config/types.ts';
import type { KubernetesAccess } from '../kube/kubernetes-access.ts';
import { resolveElectionStore } from './store-choice.ts';

describe('resolveElectionStore', () => {
  const none: KubernetesAccess = { kind: 'none' };
  const inCluster: KubernetesAccess = { kind: 'in-cluster' };
  const kubeconfig: KubernetesAccess = { kind: 'kubeconfig', file: '/tmp/kubeconfig' };
  const cases: readonly [ElectionStore, KubernetesAccess, string][] = [
    ['auto', none, 'memory'],
    ['auto', inCluster, 'kubernetes'],
    ['auto', kubeconfig, 'kubernetes'],
    ['memory', inCluster, 'memory'],
    ['kubernetes', kubeconfig, 'kubernetes'],
  ];
  for (const [configured, access, expected] of cases) {
    it(`resolves ${configured} with ${access.kind} access to ${expected}`, () => {
      assert.deepEqual(resolveElectionStore(configured, access), { ok: true, value: expected });
    });
  }

  it('refuses kubernetes without access, naming the key and the way out', () => {
    const resolved = resolveElectionStore('kubernetes', none);
    assert.equal(resolved.ok, false);
    if (!resolved.ok) {
      assert.equal(resolved.error.code, 'DKO_ERR_CONFIG_INVALID');
      assert.match(resolved.error.message, /^election\.store: "kubernetes" needs Kubernetes access/);
      assert.match(resolved.error.message, /"auto" or "memory"/);
    }
  });
});
