// Operator instances for the election's cross-module tests: the real server (startServer) in-process, on
// the embedded in-memory store or on Kubernetes Leases of a fake API server through --kubeconfig.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../http/support.ts';
import type { FakeKubeApi } from './fake-kube-api.ts';
import type { OperatorEndpoint } from './fleet.ts';
import { waitUntil } from './wait.ts';
import { request } from 'node:https';

export type StoreKind = 'memory' | 'kubernetes';

export interface ElectionSettings {
  readonly lease_duration_seconds?: number;
  readonly interval_seconds?: number;
}

export interface Operator {
  readonly harness: TestServer;
  readonly endpoint: OperatorEndpoint;
  dispose(): Promise<void>;
}

/**
 * Starts one operator. With `api` it runs on that fake API server's Leases (namespace `datakit`), and
 * waits until its election status probe is ready unless `waitReady` is false.
 */
export async function startOperator(
  options: { api?: FakeKubeApi; election?: ElectionSettings; waitReady?: boolean } = {},
): Promise<Operator> {
  const config = {
    tls: { mode: 'ephemeral' },
    namespace: 'datakit',
    election: { store: options.api === undefined ? 'memory' : 'kubernetes', ...options.election },
  };
  const dir = await mkdtemp(join(tmpdir(), 'dko-election-'));
  const kubeconfig = options.api === undefined ? undefined : await options.api.writeKubeconfig(dir);
  const harness = await startTestServer({
    env: { ENV_JSON_CONFIG: JSON.stringify(config) },
    ...(kubeconfig !== undefined ? { kubeconfig } : {}),
  });
  const endpoint = { baseUrl: `https://127.0.0.1:${harness.server.mainPort}`, ca: harness.ca };
  if (options.waitReady !== false) {
    await waitUntil(
      async () => (await get(endpoint, '/v1/dk-election/status')).status === 200,
      'election ready',
    );
  }
  return {
    harness,
    endpoint,
    async dispose() {
      await harness.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function get(endpoint: OperatorEndpoint, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(path, endpoint.baseUrl), { ca: endpoint.ca }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
