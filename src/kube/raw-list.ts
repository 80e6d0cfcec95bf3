// A paged LIST that hands back the API server's JSON as it came (no client-node model classes): the
// typed clients turn timestamps into Dates and drop fields their 1.4.0 models do not know, while watch
// events carry raw JSON, and a cache fed by both must hold one shape. Each page is reduced by `keep`
// before the next is fetched, so a large cluster never sits in memory in full.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { API_REQUEST_TIMEOUT_MS, KubeRequestError } from './api-status.ts';

/** Items per page: small enough to bound one response, large enough that 10,000 pods are 20 requests. */
export const LIST_PAGE_SIZE = 500;
/** A page of full Pods can be megabytes; a slow API server gets longer than for a single object. */
const PAGE_TIMEOUT_MS = 6 * API_REQUEST_TIMEOUT_MS;

export interface RawList<T> {
  readonly items: T[];
  readonly metadata: { readonly resourceVersion: string };
}

interface ListPage {
  readonly items?: unknown[];
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
}

export async function listAllPages<T>(
  config: KubeConfig,
  path: string,
  keep: (raw: unknown) => T | undefined,
): Promise<RawList<T>> {
  const items: T[] = [];
  let token = '';
  let resourceVersion: string;
  do {
    const query = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
    if (token !== '') query.set('continue', token);
    const page = (await getJson(config, `${path}?${query.toString()}`)) as ListPage;
    for (const raw of page.items ?? []) {
      const kept = keep(raw);
      if (kept !== undefined) items.push(kept);
    }
    resourceVersion = page.metadata?.resourceVersion ?? '';
    token = page.metadata?.continue ?? '';
  } while (token !== '');
  return { items, metadata: { resourceVersion } };
}

async function getJson(config: KubeConfig, path: string): Promise<unknown> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeRequestError(`GET ${path}: the kubeconfig has no current cluster`, undefined);
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
  await config.applyToHTTPSOptions(options);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { ...options, timeout: PAGE_TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          reject(new KubeRequestError(`GET ${url.pathname}: HTTP ${status}: ${messageOf(text)}`, status));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch (cause) {
          reject(new KubeRequestError(`GET ${url.pathname}: the answer is not JSON`, status, { cause }));
        }
      });
    });
    request.on('timeout', () =>
      request.destroy(
        new KubeRequestError(`GET ${url.pathname}: no answer within ${PAGE_TIMEOUT_MS} ms`, undefined),
      ),
    );
    request.on('error', (error) =>
      reject(
        error instanceof KubeRequestError
          ? error
          : new KubeRequestError(`GET ${url.pathname}: ${error.message}`, undefined, { cause: error }),
      ),
    );
    request.end();
  });
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not a Status object: show the start of the text
  }
  return text.slice(0, 200);
}
