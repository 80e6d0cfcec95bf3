// Where each object `helm template` renders lives on the API server, so that the install journey can
// create (and delete) exactly what the chart ships through the plain REST API, as `kubectl apply` would.

import type { KubeObject } from '../../install/support.ts';

interface Collection {
  readonly plural: string;
  readonly namespaced: boolean;
}

/** Every kind the chart renders, keyed by `apiVersion/kind`. */
const COLLECTIONS: Readonly<Record<string, Collection>> = {
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1/Secret': { plural: 'secrets', namespaced: true },
  'v1/Service': { plural: 'services', namespaced: true },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'policy/v1/PodDisruptionBudget': { plural: 'poddisruptionbudgets', namespaced: true },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'rbac.authorization.k8s.io/v1/ClusterRole': { plural: 'clusterroles', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { plural: 'clusterrolebindings', namespaced: false },
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': {
    plural: 'mutatingwebhookconfigurations',
    namespaced: false,
  },
};

function collectionOf(object: KubeObject): Collection {
  const collection = COLLECTIONS[`${object.apiVersion}/${object.kind}`];
  if (!collection) {
    throw new Error(
      `the chart rendered ${object.apiVersion} ${object.kind} ${object.metadata.name}, which ` +
        'rendered-objects.ts has no REST path for: add it to COLLECTIONS',
    );
  }
  return collection;
}

export function isNamespaced(object: KubeObject): boolean {
  return collectionOf(object).namespaced;
}

/** The collection to POST `object` to: its own namespace, or `fallbackNamespace` when it names none. */
export function collectionPath(object: KubeObject, fallbackNamespace: string): string {
  const { plural, namespaced } = collectionOf(object);
  const root = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  if (!namespaced) return `${root}/${plural}`;
  return `${root}/namespaces/${object.metadata.namespace ?? fallbackNamespace}/${plural}`;
}

export function objectPath(object: KubeObject, fallbackNamespace: string): string {
  return `${collectionPath(object, fallbackNamespace)}/${object.metadata.name}`;
}
