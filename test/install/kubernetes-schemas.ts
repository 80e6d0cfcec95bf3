// Validates rendered objects with kubernetes-models (the Kubernetes OpenAPI schemas, one class per kind).
// Kinds outside Kubernetes itself (cert-manager's) are reported so that the caller checks them by hand.

import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { KubeObject } from './support.ts';

type Validator = (object: KubeObject) => void;

const VALIDATORS: Readonly<Record<string, Validator>> = {
  'v1/ServiceAccount': (o) => new ServiceAccount(o as never).validate(),
  'v1/ConfigMap': (o) => new ConfigMap(o as never).validate(),
  'v1/Secret': (o) => new Secret(o as never).validate(),
  'v1/Service': (o) => new Service(o as never).validate(),
  'apps/v1/Deployment': (o) => new Deployment(o as never).validate(),
  'autoscaling/v2/HorizontalPodAutoscaler': (o) => new HorizontalPodAutoscaler(o as never).validate(),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o as never).validate(),
  'rbac.authorization.k8s.io/v1/Role': (o) => new Role(o as never).validate(),
  'rbac.authorization.k8s.io/v1/RoleBinding': (o) => new RoleBinding(o as never).validate(),
  'rbac.authorization.k8s.io/v1/ClusterRole': (o) => new ClusterRole(o as never).validate(),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': (o) => new ClusterRoleBinding(o as never).validate(),
  'apiextensions.k8s.io/v1/CustomResourceDefinition': (o) =>
    new CustomResourceDefinition(o as never).validate(),
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': (o) =>
    new MutatingWebhookConfiguration(o as never).validate(),
};

/** Problems found, one line each; kinds without a schema here are listed in `unchecked`. */
export function validateObjects(objects: readonly KubeObject[]): { problems: string[]; unchecked: string[] } {
  const problems: string[] = [];
  const unchecked: string[] = [];
  for (const object of objects) {
    const id = `${object.apiVersion}/${object.kind}`;
    const validate = VALIDATORS[id];
    if (validate === undefined) {
      unchecked.push(id);
      continue;
    }
    try {
      validate(object);
    } catch (cause) {
      problems.push(`${id} ${object.metadata.name}: ${(cause as Error).message}`);
    }
  }
  return { problems, unchecked };
}

/** Whether a Kubernetes label selector (matchLabels + matchExpressions) selects these labels. */
export function selectorMatches(
  selector: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  },
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    const value = labels[key];
    const ok =
      operator === 'In'
        ? has && values.includes(value ?? '')
        : operator === 'NotIn'
          ? !has || !values.includes(value ?? '')
          : operator === 'Exists'
            ? has
            : operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}
