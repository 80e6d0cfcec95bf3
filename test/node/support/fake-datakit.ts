// The fake DataKit: what the manual's config calls datakit-service.datakit.svc — the trace intake on
// 9529 (dd-trace's /v0.4/traces) and the logfwd intake on 9533 (the logfwd stand-in's POST /logfwd) — as
// HTTP listeners on the node address, behind a selector-less Service of that name whose EndpointSlice
// names the node address. Pods reach it by name (the node's cluster DNS) through kube-proxy; the tests
// read what it received.

import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import type { Kubectl } from './kubectl.ts';
import { decodeMsgpack, type MsgpackValue } from './msgpack.ts';

export const DATAKIT_SERVICE = 'datakit-service';
export const TRACE_PORT = 9529;
export const LOGFWD_PORT = 9533;
const TRACES_PATH = /^\/v0\.[345]\/traces$/;
const LOGFWD_PATH = '/logfwd';

export interface Span {
  readonly service?: string;
  readonly name?: string;
  readonly meta?: Readonly<Record<string, string>>;
}

export interface LogBatch {
  readonly source: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly file: string;
  readonly pod_name?: string;
  readonly pod_namespace?: string;
  readonly lines: readonly string[];
}

export class FakeDataKit {
  readonly spans: Span[] = [];
  readonly logs: LogBatch[] = [];
  readonly problems: string[] = [];

  private constructor(private readonly servers: readonly Server[]) {}

  static async start(nodeIP: string): Promise<FakeDataKit> {
    const servers: Server[] = [];
    const datakit = new FakeDataKit(servers);
    for (const [port, handle] of [
      [TRACE_PORT, (path: string, body: Buffer) => datakit.onTrace(path, body)],
      [LOGFWD_PORT, (path: string, body: Buffer) => datakit.onLogs(path, body)],
    ] as const) {
      const server = createServer((request, response) => {
        void readBody(request).then((body) => {
          const known = handle(request.url ?? '', body);
          response.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
          response.end(known ? '{"rate_by_service":{}}' : '{}');
        });
      });
      server.listen(port, nodeIP);
      await once(server, 'listening');
      servers.push(server);
    }
    return datakit;
  }

  /** The Service and EndpointSlice that make the name resolve and route to these listeners. */
  async publish(kubectl: Kubectl, namespace: string, nodeIP: string, dir: string): Promise<void> {
    const ports = [
      { name: 'trace', port: TRACE_PORT },
      { name: 'logfwd', port: LOGFWD_PORT },
    ];
    const objects = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: DATAKIT_SERVICE, namespace },
          spec: { ports: ports.map((p) => ({ ...p, protocol: 'TCP' })) },
        },
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: {
            name: `${DATAKIT_SERVICE}-node`,
            namespace,
            labels: { 'kubernetes.io/service-name': DATAKIT_SERVICE },
          },
          addressType: 'IPv4',
          endpoints: [{ addresses: [nodeIP], conditions: { ready: true } }],
          ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
        },
      ],
    };
    const file = join(dir, 'fake-datakit.json');
    await writeFile(file, JSON.stringify(objects));
    await kubectl.ok('apply', '-f', file);
  }

  private onTrace(path: string, body: Buffer): boolean {
    if (!TRACES_PATH.test(path)) return false;
    try {
      const traces = decodeMsgpack(body);
      for (const trace of Array.isArray(traces) ? traces : []) {
        for (const span of Array.isArray(trace) ? trace : []) this.spans.push(span as unknown as Span);
      }
    } catch (error) {
      this.problems.push(`${path}: ${(error as Error).message}`);
    }
    return true;
  }

  private onLogs(path: string, body: Buffer): boolean {
    if (path !== LOGFWD_PATH) return false;
    try {
      this.logs.push(JSON.parse(body.toString('utf8')) as LogBatch);
    } catch (error) {
      this.problems.push(`${path}: ${(error as Error).message}`);
    }
    return true;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(async (server) => {
        server.closeAllConnections();
        server.close();
        await once(server, 'close');
      }),
    );
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

export type { MsgpackValue };
