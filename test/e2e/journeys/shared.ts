// Helpers the journeys share: building workloads for the run, and the comparison of a stored pod with
// what the pure core predicts.

import assert from 'node:assert/strict';
import type { Pod } from '../../../src/podspec/types.ts';
import type { E2eEnvironment } from '../support/environment.ts';
import type { Prediction } from '../support/prediction.ts';
import { webhookViewOf } from '../support/webhook-view.ts';

export type Environment = () => E2eEnvironment;

export interface Workload {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  readonly spec: {
    template: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: Pod['spec'];
    };
  } & Record<string, unknown>;
}

const COLLECTIONS: Readonly<Record<string, string>> = {
  'apps/v1/Deployment': 'apis/apps/v1/namespaces/{ns}/deployments',
  'batch/v1/Job': 'apis/batch/v1/namespaces/{ns}/jobs',
};

export async function createWorkload(
  env: E2eEnvironment,
  namespace: string,
  workload: Workload,
): Promise<void> {
  const collection = COLLECTIONS[`${workload.apiVersion}/${workload.kind}`];
  if (!collection) throw new Error(`no collection path for ${workload.apiVersion} ${workload.kind}`);
  await env.client.create(`/${collection.replace('{ns}', namespace)}`, {
    ...workload,
    metadata: { ...workload.metadata, namespace },
  });
}

/** A one-replica Deployment of busybox whose pods carry the run label and `labels`. */
export function deployment(
  name: string,
  labels: Readonly<Record<string, string>>,
  annotations: Readonly<Record<string, string>> = {},
  runLabels: Readonly<Record<string, string>> = {},
): Workload {
  const podLabels = { app: name, ...labels, ...runLabels };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { ...runLabels } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: podLabels.app } },
      template: {
        metadata: {
          labels: podLabels,
          ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
        },
        spec: { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] },
      },
    },
  };
}

/**
 * The pod a controller creates from `workload`'s template, as far as the webhook's decisions go: the
 * template's annotations and spec, and the labels the stored pod carries (the template's plus the
 * controller's own, such as pod-template-hash; the webhook never writes labels).
 */
export function podFromTemplate(workload: Workload, stored: Pod): Pod {
  const template = workload.spec.template;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(stored.metadata?.generateName ? { generateName: stored.metadata.generateName } : {}),
      labels: { ...stored.metadata?.labels },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
    },
    spec: structuredClone(template.spec),
  };
}

/** The webhook's part of the stored pod equals the pure core's prediction (webhook-view.ts says what that is). */
export function assertMatchesPrediction(stored: Pod, prediction: Prediction, what: string): void {
  assert.deepStrictEqual(
    webhookViewOf(stored),
    webhookViewOf(prediction.pod),
    `${what}: the stored pod differs from what the pure core predicts (${prediction.result})`,
  );
}

export function findContainer(pod: Pod, name: string, where: 'containers' | 'initContainers' = 'containers') {
  const container = pod.spec?.[where]?.find((candidate) => candidate.name === name);
  assert.ok(
    container,
    `no ${where} entry named ${name} in ${JSON.stringify(pod.spec?.[where]?.map((c) => c.name))}`,
  );
  return container;
}

export function injectedAnnotation(pod: Pod): Record<string, unknown> | undefined {
  const text = pod.metadata?.annotations?.['admission.datakit/injected'];
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

/** The label selector of a workload's `spec.selector.matchLabels`, as a query string. */
export function selectorOf(workload: Workload): string {
  const selector = workload.spec['selector'] as { matchLabels?: Record<string, string> } | undefined;
  const labels = Object.entries(selector?.matchLabels ?? {});
  if (labels.length === 0) throw new Error(`${workload.metadata.name} has no spec.selector.matchLabels`);
  return labels.map(([key, value]) => `${key}=${value}`).join(',');
}
