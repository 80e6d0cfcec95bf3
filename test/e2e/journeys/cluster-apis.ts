// ClusterLoggingConfigs and the cluster Pod API on the real API server, against the main operator (which
// started before the CRD existed, as after `helm install` of an operator older than the CRD).
// Logging configs: 503 (never 404) while the CRD is missing; the shipped CRD applied; a CR created; a
// logfwd-shaped client (TLS unverified, labels sorted, 1 s polls instead of 60 s) gets its configs,
// including the fields upstream's schema pruned; the CR changed → the answer changes; deleted → 404.
// Pod API: pods created on two nodes → listed per node in the trimmed view; the full view refused without
// a token (401) and for a ServiceAccount without RBAC (403), served to one allowed to list pods.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT, type E2eEnvironment } from '../support/environment.ts';
import { mintServiceAccountToken } from '../support/service-account-kubeconfig.ts';
import { pollUntil } from '../support/wait.ts';
import type { Environment } from './shared.ts';

const CRD_FILE = join(ROOT, 'charts/datakit-operator/crds/clusterloggingconfigs.yaml');
const CRD_NAME = 'clusterloggingconfigs.logging.datakits.io';
const CRDS_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const CONFIGS_PATH = '/apis/logging.datakits.io/v1alpha1/clusterloggingconfigs';
/** The feed retries a missing CRD with backoff up to 30 s; then the list, the watch and a poll. */
const CONFIG_TIMEOUT_MS = 90_000;
const POLL_MS = 1_000;
const REQUEST_TIMEOUT_MS = 10_000;

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** As logfwd and DataKit's eBPF client do: HTTPS without verifying the certificate, 10 s timeout. */
function operatorGet(e: E2eEnvironment, path: string, token?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: e.settings.webhookHost,
        port: e.operator.mainPort,
        path,
        method: 'GET',
        rejectUnauthorized: false,
        agent: false,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`GET ${path} timed out`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** What logfwd sends: namespace, pod_name, and the downward-API labels sorted by key as `k=v,…`. */
function logfwdQuery(namespace: string, podName: string, labels: Readonly<Record<string, string>>): string {
  const podLabels = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(',');
  return `/v1/logging/configs?${new URLSearchParams({ namespace, pod_name: podName, pod_labels: podLabels })}`;
}

/** Polls like logfwd (a non-200 keeps the current state) until the answer satisfies `accept`. */
function pollOperator(
  e: E2eEnvironment,
  path: string,
  what: string,
  accept: (reply: Reply) => boolean,
): Promise<Reply> {
  return pollUntil(
    async () => {
      const reply = await operatorGet(e, path);
      return accept(reply) ? reply : undefined;
    },
    { timeoutMs: CONFIG_TIMEOUT_MS, intervalMs: POLL_MS, what },
  );
}

export function clusterApisJourney(env: Environment): void {
  describe('ClusterLoggingConfig and GET /v1/logging/configs', () => {
    let e: E2eEnvironment;
    let namespace = '';
    let crName = '';
    const labels = { app: 'nginx', tier: 'web' };
    before(async () => {
      e = env();
      namespace = await e.namespace('logging-configs', { webhookOff: true });
      crName = `${namespace}-nginx`;
    });

    it('answers 503, not 404, while the CRD is missing, then serves configs once the shipped CRD is applied', async () => {
      const existing = await e.client.find(`${CRDS_PATH}/${CRD_NAME}`);
      if (existing === undefined) {
        const reply = await operatorGet(e, logfwdQuery(namespace, 'nginx-0', labels));
        assert.equal(reply.status, 503, reply.body);
        assert.match(JSON.parse(reply.body).error, /ClusterLoggingConfig cache has not synced/);
        await e.client.create(CRDS_PATH, parse(await readFile(CRD_FILE, 'utf8')));
        if (!e.cluster.disposable)
          e.onClose(`delete CRD ${CRD_NAME}`, () => e.client.delete(`${CRDS_PATH}/${CRD_NAME}`));
      }
      await pollUntil(
        async () => {
          const crd = await e.client.get<{ status?: { conditions?: { type: string; status: string }[] } }>(
            `${CRDS_PATH}/${CRD_NAME}`,
          );
          return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
            ? true
            : undefined;
        },
        { timeoutMs: 30_000, what: `CRD ${CRD_NAME} established` },
      );
      const synced = await pollOperator(
        e,
        logfwdQuery(namespace, 'nginx-0', labels),
        'the config cache to sync',
        (r) => r.status !== 503,
      );
      assert.deepEqual(
        [synced.status, JSON.parse(synced.body)],
        [404, { error: 'no matching config found' }],
      );
    });

    it('a logfwd-shaped client gets the config of a new CR, including the fields upstream pruned', async () => {
      await e.client.create(CONFIGS_PATH, {
        apiVersion: 'logging.datakits.io/v1alpha1',
        kind: 'ClusterLoggingConfig',
        metadata: { name: crName, labels: e.names.labels },
        spec: {
          selector: { namespaceRegex: `^${namespace}$`, podLabelSelector: 'app=nginx' },
          podTargetLabels: ['app', 'tier'],
          configs: [
            {
              type: 'file',
              source: 'nginx-access',
              path: '/var/log/nginx/access.log',
              service: 'web',
              from_beginning: true,
              tags: { team: 'web' },
            },
          ],
        },
      });
      e.onClose(`delete ClusterLoggingConfig ${crName}`, () => e.client.delete(`${CONFIGS_PATH}/${crName}`));
      const reply = await pollOperator(
        e,
        logfwdQuery(namespace, 'nginx-0', labels),
        'the new CR to be served',
        (r) => r.status === 200,
      );
      assert.deepEqual(JSON.parse(reply.body), {
        name: crName,
        pod_target_labels: ['app', 'tier'],
        configs:
          '[{"type":"file","source":"nginx-access","path":"/var/log/nginx/access.log","service":"web",' +
          '"from_beginning":true,"tags":{"team":"web"}}]',
      });
      const otherPod = await operatorGet(e, logfwdQuery(namespace, 'redis-0', { app: 'redis' }));
      assert.equal(otherPod.status, 404, 'a pod the label selector does not select');
      const noLabels = await operatorGet(e, logfwdQuery(namespace, 'nginx-0', {}));
      assert.equal(noLabels.status, 404, 'a pod that sent no labels is not caught by a label selector');
    });

    it('a changed CR changes the answer, and a deleted one is a 404', async () => {
      const current = await e.client.get<Record<string, unknown> & { spec: { configs: { path: string }[] } }>(
        `${CONFIGS_PATH}/${crName}`,
      );
      const changed = structuredClone(current);
      changed.spec.configs = [
        { ...(current.spec.configs[0] as { path: string }), path: '/var/log/nginx/error.log' },
      ];
      await e.client.expectOk('PUT', `${CONFIGS_PATH}/${crName}`, { body: changed });
      const reply = await pollOperator(
        e,
        logfwdQuery(namespace, 'nginx-0', labels),
        'the changed CR to be served',
        (r) => r.status === 200 && r.body.includes('error.log'),
      );
      assert.equal(JSON.parse(reply.body).configs.includes('access.log'), false);
      await e.client.delete(`${CONFIGS_PATH}/${crName}`);
      const gone = await pollOperator(
        e,
        logfwdQuery(namespace, 'nginx-0', labels),
        'the deleted CR to be gone',
        (r) => r.status === 404,
      );
      assert.deepEqual(JSON.parse(gone.body), { error: 'no matching config found' });
    });
  });

  describe('cluster Pod API', () => {
    let e: E2eEnvironment;
    let namespace = '';
    const nodes = { 'pod-a1': 'node-a', 'pod-a2': 'node-a', 'pod-b1': 'node-b' } as const;
    before(async () => {
      e = env();
      namespace = await e.namespace('cluster-pods', { webhookOff: true });
      for (const [name, nodeName] of Object.entries(nodes)) {
        await e.client.create(`/api/v1/namespaces/${namespace}/pods`, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name,
            labels: { app: name, ...e.names.labels },
            annotations: { 'example.com/secret-ish': 'x' },
          },
          spec: {
            nodeName,
            containers: [
              {
                name: 'app',
                image: 'busybox',
                env: [{ name: 'PASSWORD', value: 'hunter2' }],
                ports: [{ containerPort: 8080 }],
              },
            ],
          },
        });
      }
    });

    it('lists the pods of one node in the trimmed view', async () => {
      const path = `/v1/cluster/api/v1/namespaces/${namespace}/pods?view=ebpf-v1&fieldSelector=${encodeURIComponent('spec.nodeName=node-a')}`;
      const reply = await pollOperator(
        e,
        path,
        'the pods of node-a to be listed',
        (r) => r.status === 200 && (JSON.parse(r.body) as unknown[]).length === 2,
      );
      const pods = JSON.parse(reply.body) as {
        metadata: Record<string, unknown>;
        spec: Record<string, unknown>;
        status: Record<string, unknown>;
      }[];
      assert.deepEqual(
        pods.map((pod) => pod.metadata['name']),
        ['pod-a1', 'pod-a2'],
      );
      for (const pod of pods) {
        assert.deepEqual(Object.keys(pod.metadata).sort(), ['labels', 'name', 'namespace', 'uid']);
        assert.deepEqual(pod.spec['containers'], [
          { name: 'app', ports: [{ containerPort: 8080, protocol: 'TCP' }] },
        ]);
      }
      assert.equal(
        reply.body.includes('hunter2') ||
          reply.body.includes('busybox') ||
          reply.body.includes('managedFields'),
        false,
      );
      const nodeB = await operatorGet(
        e,
        `/v1/cluster/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=node-b')}`,
      );
      assert.equal(nodeB.status, 200);
      assert.deepEqual(
        (JSON.parse(nodeB.body) as { metadata: { name: string } }[]).filter(
          (p) => p.metadata.name === 'pod-b1',
        ).length,
        1,
      );
      const one = await operatorGet(e, `/v1/cluster/api/v1/namespaces/${namespace}/pods/pod-b1?view=ebpf-v1`);
      assert.equal(one.status, 200);
      assert.equal(JSON.parse(one.body).metadata.name, 'pod-b1');
      const unknownView = await operatorGet(e, `/v1/cluster/api/v1/pods?view=v2`);
      assert.equal(unknownView.status, 400);
      const metrics = (await operatorGet(e, '/metrics')).body;
      assert.match(metrics, /^datakit_operator_cluster_cache_synced\{cache="pods"\} 1$/m);
      const cached = /^datakit_operator_cluster_cache_objects\{cache="pods"\} (\d+)$/m.exec(metrics);
      assert.ok(cached !== null && Number(cached[1]) >= 3, 'the cached pods are counted');
    });

    it('refuses the full view without a token (401) and to a ServiceAccount without RBAC (403), and serves it to one that may list pods', async () => {
      const fullPath = `/v1/cluster/api/v1/namespaces/${namespace}/pods?view=full`;
      const anonymous = await operatorGet(e, fullPath);
      assert.equal(anonymous.status, 401, anonymous.body);
      const forged = await operatorGet(e, fullPath, 'not-a-real-token');
      assert.equal(forged.status, 401, forged.body);

      for (const name of ['no-rbac', 'ebpf-reader']) {
        await e.client.create(`/api/v1/namespaces/${namespace}/serviceaccounts`, {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name },
        });
      }
      await e.client.create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'list-pods' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
      });
      await e.client.create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'ebpf-reader-list-pods' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'list-pods' },
        subjects: [{ kind: 'ServiceAccount', name: 'ebpf-reader', namespace }],
      });
      const denied = await operatorGet(
        e,
        fullPath,
        await mintServiceAccountToken(e.client, { namespace, name: 'no-rbac' }),
      );
      assert.equal(denied.status, 403, denied.body);
      assert.match(JSON.parse(denied.body).error, /may not list pods in namespace/);

      const token = await mintServiceAccountToken(e.client, { namespace, name: 'ebpf-reader' });
      const allowed = await operatorGet(e, fullPath, token);
      assert.equal(allowed.status, 200, allowed.body);
      const pods = JSON.parse(allowed.body) as {
        metadata: Record<string, unknown>;
        spec: { containers: { image: string }[] };
      }[];
      assert.equal(pods.length, 3);
      assert.equal(pods[0]?.spec.containers[0]?.image, 'busybox');
      assert.equal('managedFields' in (pods[0]?.metadata ?? {}), false, 'managedFields are never cached');
      const clusterWide = await operatorGet(e, '/v1/cluster/api/v1/pods?view=full', token);
      assert.equal(clusterWide.status, 403, 'a namespace Role does not allow the cluster-wide list');
    });
  });
}
