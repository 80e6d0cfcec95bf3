// A small JSON client for the API server. Authentication and TLS come from @kubernetes/client-node's
// KubeConfig; the bodies are NOT passed through its typed models, because the e2e tier compares exactly
// what the API server stored (a typed round trip would drop fields it does not know) and reads the
// `Warning` headers (where the webhook's warnings reach kubectl users).

import { Agent, request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

const REQUEST_TIMEOUT_MS = 60_000;
const MAX_SOCKETS = 16;

export interface ApiReply<T> {
  readonly status: number;
  readonly body: T;
  /** The texts of the `Warning` headers (RFC 7234 form `299 - "text"`), unescaped. */
  readonly warnings: readonly string[];
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly reason: string,
    detail: string,
  ) {
    super(`${method} ${path}: HTTP ${status} ${reason}: ${detail}`);
    this.name = 'ApiError';
  }
}

export interface RequestSpec {
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly contentType?: string;
}

export interface KubeList<T> {
  readonly items: T[];
}

export class KubeClient {
  private constructor(
    readonly server: string,
    private readonly options: RequestOptions,
  ) {}

  static async fromKubeConfig(config: KubeConfig): Promise<KubeClient> {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster: set current-context');
    const options: RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    // One keep-alive agent for the whole run: hundreds of pod creations should not each pay a handshake.
    const base = options.agent instanceof Agent ? options.agent.options : {};
    options.agent = new Agent({ ...base, keepAlive: true, maxSockets: MAX_SOCKETS });
    return new KubeClient(cluster.server.replace(/\/+$/, ''), options);
  }

  /** Any status comes back as a reply; only a transport failure throws. */
  request<T>(method: string, path: string, spec: RequestSpec = {}): Promise<ApiReply<T>> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
    const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    const headers: Record<string, string | number> = {
      ...(this.options.headers as Record<string, string> | undefined),
      accept: 'application/json',
    };
    if (payload) {
      headers['content-type'] = spec.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        { ...this.options, method, headers, timeout: REQUEST_TIMEOUT_MS },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text === '' ? undefined : JSON.parse(text);
            } catch {
              // not JSON (e.g. a proxy's error page): keep the text for the error message
            }
            resolve({
              status: incoming.statusCode ?? 0,
              body: body as T,
              warnings: warningsOf(incoming.rawHeaders),
            });
          });
        },
      );
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /** Like `request`, but a status outside 2xx throws an ApiError naming the API server's message. */
  async expectOk<T>(method: string, path: string, spec: RequestSpec = {}): Promise<ApiReply<T>> {
    const reply = await this.request<T>(method, path, spec);
    if (reply.status < 200 || reply.status > 299) throw apiErrorOf(method, path, reply);
    return reply;
  }

  async create<T>(
    path: string,
    body: unknown,
    query?: Readonly<Record<string, string>>,
  ): Promise<ApiReply<T>> {
    return this.expectOk<T>('POST', path, { body, ...(query ? { query } : {}) });
  }

  async get<T>(path: string): Promise<T> {
    return (await this.expectOk<T>('GET', path)).body;
  }

  /** Undefined on 404. */
  async find<T>(path: string): Promise<T | undefined> {
    const reply = await this.request<T>('GET', path);
    if (reply.status === 404) return undefined;
    if (reply.status !== 200) throw apiErrorOf('GET', path, reply);
    return reply.body;
  }

  async list<T>(path: string, labelSelector?: string): Promise<T[]> {
    const reply = await this.expectOk<KubeList<T>>(
      'GET',
      path,
      labelSelector ? { query: { labelSelector } } : {},
    );
    return reply.body.items;
  }

  /** A missing object counts as deleted. */
  async delete(path: string, query?: Readonly<Record<string, string>>): Promise<void> {
    const reply = await this.request('DELETE', path, query ? { query } : {});
    if (reply.status === 404) return;
    if (reply.status < 200 || reply.status > 299) throw apiErrorOf('DELETE', path, reply);
  }

  close(): void {
    (this.options.agent as Agent | undefined)?.destroy();
  }
}

function apiErrorOf(method: string, path: string, reply: ApiReply<unknown>): ApiError {
  const status = reply.body as { reason?: string; message?: string } | string | undefined;
  const reason = typeof status === 'object' ? (status.reason ?? '') : '';
  const detail = typeof status === 'object' ? (status.message ?? JSON.stringify(status)) : String(status);
  return new ApiError(method, path, reply.status, reason, detail);
}

/** Each `Warning` header holds one warning: `<code> <agent> "<text>"` with `\"` and `\\` escaped. */
export function warningsOf(rawHeaders: readonly string[]): string[] {
  const warnings: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() !== 'warning') continue;
    const value = rawHeaders[i + 1] ?? '';
    const match = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(value);
    warnings.push(match?.[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : value);
  }
  return warnings;
}
