// The MutatingWebhookConfiguration the e2e tier registers: the production settings of SPEC §12 (the same
// webhook `deploy/datakit-operator.yaml` ships, which webhook-registration.test.ts checks), with a
// clientConfig that reaches an operator running on this machine instead of a Service.

import type { KubeClient } from './kube-client.ts';

export const WEBHOOK_PATH = '/v1/webhooks/inject';
export const WEBHOOK_NAME = 'mutation.datakit.svc';
/** SPEC §12: never consulted for these namespaces, nor for those labelled admission.datakit/enabled=false. */
export const NAMESPACES_NEVER_MUTATED = ['kube-system', 'kube-node-lease'] as const;
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const NAMESPACE_OPT_OUT_LABEL = 'admission.datakit/enabled';

const MWC_PATH = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';

export type WebhookClientConfig =
  | { readonly url: string }
  | {
      readonly service: {
        readonly namespace: string;
        readonly name: string;
        readonly path: string;
        readonly port: number;
      };
    };

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: string[] }[];
}

export interface WebhookRegistration {
  readonly name: string;
  readonly clientConfig: WebhookClientConfig;
  /** PEM; undefined leaves caBundle unset (the self-managed operator fills it in). */
  readonly caPem?: string;
  /** Defaults to the production selector; only a second, test-scoped webhook narrows it. */
  readonly namespaceSelector?: LabelSelector;
  readonly labels?: Readonly<Record<string, string>>;
}

export const PRODUCTION_NAMESPACE_SELECTOR: LabelSelector = {
  matchExpressions: [
    { key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...NAMESPACES_NEVER_MUTATED] },
    { key: NAMESPACE_OPT_OUT_LABEL, operator: 'NotIn', values: ['false'] },
  ],
};

export function webhookUrl(host: string, port: number): string {
  const authority = host.includes(':') ? `[${host}]` : host;
  return `https://${authority}:${port}${WEBHOOK_PATH}`;
}

/** The object to create; pure. */
export function buildWebhookConfiguration(registration: WebhookRegistration): Record<string, unknown> {
  const clientConfig: Record<string, unknown> = { ...registration.clientConfig };
  if (registration.caPem !== undefined) {
    clientConfig['caBundle'] = Buffer.from(registration.caPem, 'utf8').toString('base64');
  }
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: {
      name: registration.name,
      ...(registration.labels ? { labels: { ...registration.labels } } : {}),
    },
    webhooks: [
      {
        name: WEBHOOK_NAME,
        admissionReviewVersions: ['v1'],
        clientConfig,
        rules: [
          {
            operations: ['CREATE'],
            apiGroups: [''],
            apiVersions: ['v1'],
            resources: ['pods'],
            scope: 'Namespaced',
          },
        ],
        failurePolicy: 'Ignore',
        sideEffects: 'None',
        timeoutSeconds: 5,
        reinvocationPolicy: 'IfNeeded',
        namespaceSelector: registration.namespaceSelector ?? PRODUCTION_NAMESPACE_SELECTOR,
      },
    ],
  };
}

export async function registerWebhook(client: KubeClient, registration: WebhookRegistration): Promise<void> {
  await client.create(MWC_PATH, buildWebhookConfiguration(registration));
}

export async function unregisterWebhook(client: KubeClient, name: string): Promise<void> {
  await client.delete(`${MWC_PATH}/${name}`);
}

export interface StoredWebhookConfiguration {
  readonly webhooks?: readonly { readonly clientConfig?: { readonly caBundle?: string } }[];
}

export async function readWebhookConfiguration(
  client: KubeClient,
  name: string,
): Promise<StoredWebhookConfiguration | undefined> {
  return client.find<StoredWebhookConfiguration>(`${MWC_PATH}/${name}`);
}
