import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  resolveKubernetesAccess,
  type KubernetesAccess,
  type KubernetesAccessInputs,
} from './kubernetes-access.ts';

describe('resolveKubernetesAccess', () => {
  const cases: readonly [string, KubernetesAccessInputs, KubernetesAccess][] = [
    [
      'is none with no token, no service host and no kubeconfig',
      { env: {}, kubeconfigFlag: undefined, serviceAccountTokenExists: false },
      { kind: 'none' },
    ],
    [
      'is in-cluster with a token and KUBERNETES_SERVICE_HOST',
      {
        env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' },
        kubeconfigFlag: undefined,
        serviceAccountTokenExists: true,
      },
      { kind: 'in-cluster' },
    ],
    [
      'is none with a token but no KUBERNETES_SERVICE_HOST',
      { env: {}, kubeconfigFlag: undefined, serviceAccountTokenExists: true },
      { kind: 'none' },
    ],
    [
      'is none with KUBERNETES_SERVICE_HOST but no token',
      {
        env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' },
        kubeconfigFlag: undefined,
        serviceAccountTokenExists: false,
      },
      { kind: 'none' },
    ],
    [
      'uses the KUBECONFIG env',
      {
        env: { KUBECONFIG: '/home/me/.kube/config' },
        kubeconfigFlag: undefined,
        serviceAccountTokenExists: false,
      },
      { kind: 'kubeconfig', file: '/home/me/.kube/config' },
    ],
    [
      'prefers --kubeconfig over KUBECONFIG and over in-cluster',
      {
        env: { KUBECONFIG: '/env/config', KUBERNETES_SERVICE_HOST: '10.0.0.1' },
        kubeconfigFlag: '/flag/config',
        serviceAccountTokenExists: true,
      },
      { kind: 'kubeconfig', file: '/flag/config' },
    ],
    [
      'treats an empty KUBECONFIG as unset',
      { env: { KUBECONFIG: '' }, kubeconfigFlag: undefined, serviceAccountTokenExists: false },
      { kind: 'none' },
    ],
  ];
  for (const [name, inputs, expected] of cases) {
    it(name, () => assert.deepEqual(resolveKubernetesAccess(inputs), expected));
  }
});
