import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../install/support.ts';
import { collectionPath, isNamespaced, objectPath } from './rendered-objects.ts';

function object(apiVersion: string, kind: string, namespace?: string): KubeObject {
  return { apiVersion, kind, metadata: { name: 'x', ...(namespace ? { namespace } : {}) } };
}

describe('rendered object paths', () => {
  const cases: [KubeObject, string, boolean][] = [
    [object('v1', 'ConfigMap', 'datakit'), '/api/v1/namespaces/datakit/configmaps/x', true],
    [object('v1', 'ServiceAccount'), '/api/v1/namespaces/fallback/serviceaccounts/x', true],
    [
      object('policy/v1', 'PodDisruptionBudget', 'datakit'),
      '/apis/policy/v1/namespaces/datakit/poddisruptionbudgets/x',
      true,
    ],
    [
      object('rbac.authorization.k8s.io/v1', 'ClusterRole'),
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/x',
      false,
    ],
    [
      object('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'ignored'),
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/x',
      false,
    ],
  ];
  for (const [input, path, namespaced] of cases) {
    it(`puts ${input.apiVersion} ${input.kind} at ${path}`, () => {
      assert.equal(objectPath(input, 'fallback'), path);
      assert.equal(collectionPath(input, 'fallback'), path.slice(0, -'/x'.length));
      assert.equal(isNamespaced(input), namespaced);
    });
  }

  it('names the kind it has no path for', () => {
    assert.throws(() => objectPath(object('batch/v1', 'CronJob'), 'ns'), /batch\/v1 CronJob x.*COLLECTIONS/);
  });
});
