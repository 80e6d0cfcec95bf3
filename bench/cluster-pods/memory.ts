// The cluster Pod API's cache (issue 15 §3): heap per 1,000 pods as the operator keeps them (no
// managedFields, no last-applied annotation), against the baseline of keeping the API server's objects
// whole (what upstream's informer held), and the bytes of one list answer in each view. In process, heap
// after a full GC; the pods are shaped like a Deployment's pods after a `kubectl apply` (managedFields of
// three managers, the last-applied annotation, env, probes, volumes, a running status).

import { toCachedPod } from '../../src/cluster-pods/cached-pod.ts';
import { PodStore } from '../../src/cluster-pods/pod-store.ts';
import { renderPod } from '../../src/cluster-pods/views.ts';
import type { BenchMode } from '../mode.ts';
import { formatTable, type Cell } from '../table.ts';
import { settledHeapMiB } from '../election/heap.ts';

const NODES = 50;

function podText(index: number): string {
  const name = `web-7d9f8c6b5-${index.toString(36).padStart(5, '0')}`;
  const container = (suffix: string) => ({
    name: `app${suffix}`,
    image: `registry.example.com/team/app${suffix}:1.${index % 40}.0`,
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: Array.from({ length: 12 }, (_, i) => ({ name: `SETTING_${i}`, value: `value-${i}-${index}` })),
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    volumeMounts: [
      { name: 'config', mountPath: '/etc/app' },
      {
        name: 'kube-api-access-abcde',
        mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
        readOnly: true,
      },
    ],
    livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10 },
    readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 5 },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  });
  const template = { spec: { containers: [container(''), container('-sidecar')] } };
  const fieldsOf = (manager: string) => ({
    manager,
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-01-01T00:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': {
        'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} },
        'f:ownerReferences': {},
      },
      'f:spec': Object.fromEntries(
        template.spec.containers.map((c) => [
          `k:{"name":"${c.name}"}`,
          Object.fromEntries(
            c.env.map((e) => [`k:{"name":"${e.name}"}`, { '.': {}, 'f:name': {}, 'f:value': {} }]),
          ),
        ]),
      ),
      'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:podIP': {}, 'f:startTime': {} },
    },
  });
  return JSON.stringify({
    metadata: {
      name,
      generateName: 'web-7d9f8c6b5-',
      namespace: `team-${index % 20}`,
      uid: `0b6c2a1e-${index.toString(16).padStart(4, '0')}-4c1e-9d6e-1a2b3c4d5e6f`,
      resourceVersion: String(100_000 + index),
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5', team: `team-${index % 20}` },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(template),
        'prometheus.io/scrape': 'true',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7d9f8c6b5',
          uid: 'rs-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [
        fieldsOf('kube-controller-manager'),
        fieldsOf('kubelet'),
        fieldsOf('kubectl-client-side-apply'),
      ],
    },
    spec: {
      ...template.spec,
      volumes: [
        { name: 'config', configMap: { name: 'web-config' } },
        { name: 'kube-api-access-abcde', projected: { sources: [] } },
      ],
      nodeName: `node-${index % NODES}`,
      serviceAccountName: 'default',
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    },
    status: {
      phase: 'Running',
      hostIP: `10.0.${index % NODES}.1`,
      podIP: `10.1.${Math.floor(index / 250)}.${index % 250}`,
      podIPs: [{ ip: `10.1.${Math.floor(index / 250)}.${index % 250}` }],
      startTime: '2026-01-01T00:00:05Z',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: '2026-01-01T00:00:06Z',
      })),
      containerStatuses: template.spec.containers.map((c) => ({
        name: c.name,
        ready: true,
        restartCount: 0,
        image: c.image,
        imageID: `${c.image}@sha256:0123`,
        containerID: 'containerd://0123',
        started: true,
        state: { running: { startedAt: '2026-01-01T00:00:06Z' } },
      })),
    },
  });
}

export interface PodCacheFigures {
  readonly pods: number;
  readonly rawMiBPer1000: number;
  readonly cachedMiBPer1000: number;
  readonly jsonKiBPerPod: number;
  readonly fullListKiBPer1000: number;
  readonly trimmedListKiBPer1000: number;
  readonly nodeListKiB: number;
}

export function measurePodCache(pods: number): PodCacheFigures {
  const texts = Array.from({ length: pods }, (_, index) => podText(index));
  const jsonBytes = texts.reduce((sum, text) => sum + text.length, 0);
  const per1000 = (mib: number) => (mib * 1000) / pods;

  const rawMiB = heapOfWholeObjects(texts);
  const before = settledHeapMiB();
  const store = new PodStore();
  for (const text of texts) {
    const pod = toCachedPod(JSON.parse(text));
    if (pod === undefined) throw new Error('a bench pod was refused by the cache');
    store.upsert(pod);
  }
  const cachedMiB = settledHeapMiB() - before;
  if (store.size() !== pods) throw new Error(`the store holds ${store.size()} of ${pods} pods`);

  const all = store.list({});
  const full = JSON.stringify(all.map((pod) => renderPod(pod, 'full'))).length;
  const trimmed = JSON.stringify(all.map((pod) => renderPod(pod, 'ebpf-v1'))).length;
  const node = JSON.stringify(
    store.list({ nodeName: 'node-0' }).map((pod) => renderPod(pod, 'ebpf-v1')),
  ).length;
  return {
    pods,
    rawMiBPer1000: per1000(rawMiB),
    cachedMiBPer1000: per1000(cachedMiB),
    jsonKiBPerPod: jsonBytes / pods / 1024,
    fullListKiBPer1000: (full * 1000) / pods / 1024,
    trimmedListKiBPer1000: (trimmed * 1000) / pods / 1024,
    nodeListKiB: node / 1024,
  };
}

/** The heap the parsed objects hold, measured while they are alive; they are garbage once this returns. */
function heapOfWholeObjects(texts: readonly string[]): number {
  const before = settledHeapMiB();
  const whole = texts.map((text) => JSON.parse(text) as unknown);
  const mib = settledHeapMiB() - before;
  if (whole.length !== texts.length) throw new Error('raw pods were not all parsed');
  return mib;
}

export function runClusterPodsPart(
  mode: BenchMode,
  log: (line: string) => void,
): { text: string; failures: string[] } {
  const pods = mode.quick ? 1_000 : 10_000;
  log(`  cluster-pods: ${pods} pods into the cache`);
  const f = measurePodCache(pods);
  const rows: Cell[][] = [
    [
      'heap, MiB per 1,000 pods',
      f.cachedMiBPer1000.toFixed(2),
      f.rawMiBPer1000.toFixed(2),
      (f.cachedMiBPer1000 / f.rawMiBPer1000).toFixed(2),
    ],
    [
      'GET …/pods?view=full, KiB per 1,000 pods',
      f.fullListKiBPer1000.toFixed(0),
      (f.jsonKiBPerPod * 1000).toFixed(0),
      (f.fullListKiBPer1000 / (f.jsonKiBPerPod * 1000)).toFixed(2),
    ],
    [
      'GET …/pods (ebpf-v1), KiB per 1,000 pods',
      f.trimmedListKiBPer1000.toFixed(0),
      (f.jsonKiBPerPod * 1000).toFixed(0),
      (f.trimmedListKiBPer1000 / (f.jsonKiBPerPod * 1000)).toFixed(2),
    ],
  ];
  const text = [
    formatTable(['cluster Pod API cache', 'ours', 'base', 'ours/base'], rows),
    '',
    `${pods.toLocaleString('en-US')} pods of ${f.jsonKiBPerPod.toFixed(1)} KiB JSON each (managedFields of three managers, the`,
    'last-applied annotation, 2 containers × 12 env); base = the API server objects kept whole (upstream informer).',
    `ours = managedFields and last-applied dropped at the informer's door; heap after a full GC, store index included.`,
    `One DataKit's request (fieldSelector=spec.nodeName=node-0, ${NODES} nodes, ebpf-v1): ${f.nodeListKiB.toFixed(0)} KiB.`,
  ].join('\n');
  return { text, failures: [] };
}
