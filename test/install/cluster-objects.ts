// What the fake-API tests take from the committed plain manifest: the RBAC rules the operator runs with,
// the MutatingWebhookConfiguration the API server holds, and the ConfigMap's config document.

import assert from 'node:assert/strict';
import type { FakeRbac, PolicyRule } from './fake-api-server.ts';
import { parseManifest, readDeployManifest, theOne, type KubeObject } from './support.ts';

export const ADMISSION_GROUP = 'admissionregistration.k8s.io';
export const WEBHOOK_CONFIGURATIONS = 'mutatingwebhookconfigurations';

export interface ShippedInstall {
  readonly namespace: string;
  readonly rbac: FakeRbac;
  readonly webhookConfiguration: KubeObject;
  readonly jsonconfig: string;
  readonly secretName: string;
  /** The DNS name the API server uses to call the webhook. */
  readonly serviceHost: string;
}

export function readShippedInstall(): ShippedInstall {
  const objects = parseManifest(readDeployManifest());
  const role = theOne(objects, 'Role');
  const namespace = role.metadata.namespace ?? '';
  const configMap = theOne(objects, 'ConfigMap') as unknown as { data: Record<string, string> };
  const jsonconfig = configMap.data['jsonconfig'];
  assert.ok(jsonconfig);
  const secretsRule = (role as unknown as { rules: PolicyRule[] }).rules.find(
    (rule) => rule.resourceNames?.length,
  );
  const webhookConfiguration = theOne(objects, 'MutatingWebhookConfiguration');
  const service = (
    webhookConfiguration as unknown as {
      webhooks: { clientConfig: { service: { name: string; namespace: string } } }[];
    }
  ).webhooks[0]?.clientConfig.service;
  assert.ok(service);
  return {
    namespace,
    rbac: {
      namespace,
      namespacedRules: (role as unknown as { rules: PolicyRule[] }).rules,
      clusterRules: (theOne(objects, 'ClusterRole') as unknown as { rules: PolicyRule[] }).rules,
    },
    webhookConfiguration,
    jsonconfig,
    secretName: secretsRule?.resourceNames?.[0] ?? '',
    serviceHost: `${service.name}.${service.namespace}.svc`,
  };
}
