// The real server in-process on 127.0.0.1:0, and small h2 / HTTP/1.1 clients that trust its CA.

import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/app/serve.ts';
import { detailsOf } from '../../src/errors/problem.ts';
import { buildReview } from '../support/admission.ts';
import { captureLogs, type CapturedLog } from './log-capture.ts';

export const ADMISSION_PATH = '/v1/webhooks/inject';
export const LOOPBACK = '127.0.0.1';

export interface TestServer {
  readonly server: RunningServer;
  readonly logs: CapturedLog[];
  readonly ca: string;
  /** Closes the server (if the test did not) and removes its temp dir. */
  dispose(): Promise<void>;
}

export async function startTestServer(options: Partial<StartServerOptions> = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'dko-http-'));
  const { destination, lines } = captureLogs();
  const started = await startServer({
    env: { ENV_JSON_CONFIG: JSON.stringify({ tls: { mode: 'ephemeral' } }) },
    mainListen: { host: LOOPBACK, port: 0 },
    healthListen: { host: LOOPBACK, port: 0 },
    caOutPath: join(dir, 'ca.crt'),
    logDestination: destination,
    ...options,
  });
  if (!started.ok) assert.fail(`${started.error.message}\n${detailsOf(started.error).join('\n')}`);
  const server = started.value;
  return {
    server,
    logs: lines,
    ca: server.caPem ?? '',
    async dispose() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface RequestSpec {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** One request on an open h2 session. */
export function h2Request(session: ClientHttp2Session, spec: RequestSpec): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': spec.method, ':path': spec.path, ...spec.headers });
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (received) => (headers = received));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () =>
      resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks).toString('utf8') }),
    );
    stream.on('error', reject);
    stream.end(spec.body);
  });
}

export function openH2Session(port: number, ca: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(`https://${LOOPBACK}:${port}`, { ca });
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

/**
 * One HTTP/1.1 request (ALPN offers only http/1.1): over a new TLS connection, or over `agent`'s
 * connections (a keep-alive agent reuses them).
 */
export function h1Request(port: number, ca: string, spec: RequestSpec, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: LOOPBACK,
        port,
        ca,
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        agent: agent ?? new Agent({ ca }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(spec.body);
  });
}

/** Plain HTTP to the health listener. */
export function healthRequest(port: number, method: string, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: LOOPBACK, port, method, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

export type Protocol = 'h2' | 'http/1.1';
export const PROTOCOLS: readonly Protocol[] = ['h2', 'http/1.1'];

/** A client for one protocol; h2 reuses one session per client, as the kube-apiserver does. */
export interface Client {
  send(spec: RequestSpec): Promise<Reply>;
  close(): void;
}

export async function openClient(protocol: Protocol, port: number, ca: string): Promise<Client> {
  if (protocol === 'http/1.1') return { send: (spec) => h1Request(port, ca, spec), close: () => {} };
  const session = await openH2Session(port, ca);
  return { send: (spec) => h2Request(session, spec), close: () => session.close() };
}

/** A pod CREATE that asks for the Java library: the webhook must answer with a patch. */
export function injectableReview(uid = 'uid-inject'): string {
  return JSON.stringify(
    buildReview(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'app',
          namespace: 'default',
          annotations: { 'admission.datakit/java-lib.version': '' },
        },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
      },
      { uid },
    ),
  );
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** The status of an ordinary admission on `session`: a test's proof that the session still serves. */
export async function admissionStatus(session: ClientHttp2Session, uid: string): Promise<number> {
  const reply = await h2Request(session, {
    method: 'POST',
    path: ADMISSION_PATH,
    headers: JSON_HEADERS,
    body: injectableReview(uid),
  });
  return reply.status;
}

/** The value of one sample in Prometheus text, or undefined when the series is absent. */
export function metricValue(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
