// A small in-process Kubernetes API server for the election's tests: namespaced Leases with real
// resourceVersion / 409 semantics, label- and field-selected lists and streaming watches, and
// SelfSubjectAccessReviews. Faults (denied verbs, failing or slow writes, dropped watches) are test knobs.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

type Json = Record<string, unknown>;

interface StoredLease {
  readonly namespace: string;
  readonly object: Json;
}

interface WatchEvent {
  readonly resourceVersion: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly namespace: string;
  readonly object: Json;
}

interface Watcher {
  readonly namespace: string;
  readonly matches: (object: Json) => boolean;
  readonly response: ServerResponse;
}

export type LeaseVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'delete';

/** Called before a write is applied; may wait (to interleave requests) or throw a status to fail it. */
export type WriteHook = (verb: 'create' | 'update', namespace: string, body: Json) => Promise<void> | void;

export class FakeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const LEASES = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?$/;

export class FakeKubeApi {
  readonly #server: Server;
  readonly #leases = new Map<string, StoredLease>();
  readonly #events: WatchEvent[] = [];
  readonly #watchers = new Set<Watcher>();
  #lastVersion = 100;
  /** Verbs on leases that answer 403 (and that SelfSubjectAccessReviews deny). */
  readonly denied = new Set<LeaseVerb>();
  /** Verbs on leases that answer 500 (an etcd outage) while permissions stay granted. */
  readonly failing = new Set<LeaseVerb>();
  beforeWrite: WriteHook | undefined;
  /** Every request, as `METHOD path` (query dropped), for asserting what the operator asked. */
  readonly requests: string[] = [];
  port = 0;

  private constructor() {
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        if (error instanceof FakeStatusError) sendStatus(response, error.code, error.reason, error.message);
        else sendStatus(response, 500, 'InternalError', String(error));
      });
    });
  }

  static async start(): Promise<FakeKubeApi> {
    const api = new FakeKubeApi();
    await new Promise<void>((resolve) => api.#server.listen(0, '127.0.0.1', resolve));
    api.port = (api.#server.address() as AddressInfo).port;
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  kubeConfig(): KubeConfig {
    const config = new KubeConfig();
    config.loadFromString(this.kubeconfigYaml());
    return config;
  }

  kubeconfigYaml(): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: fake, cluster: {server: "' + this.url + '", insecure-skip-tls-verify: true}}]',
      'users: [{name: tester, user: {token: test-token}}]',
      'contexts: [{name: fake, context: {cluster: fake, user: tester}}]',
      'current-context: fake',
      '',
    ].join('\n');
  }

  async writeKubeconfig(dir: string): Promise<string> {
    const path = join(dir, 'kubeconfig');
    await writeFile(path, this.kubeconfigYaml());
    return path;
  }

  lease(namespace: string, name: string): Json | undefined {
    return this.#leases.get(`${namespace}/${name}`)?.object;
  }

  leaseNames(namespace: string): string[] {
    return [...this.#leases.values()]
      .filter((lease) => lease.namespace === namespace)
      .map((lease) => nameOf(lease.object));
  }

  /** Ends every open watch, as the API server does when a watch times out. */
  dropWatches(): void {
    for (const watcher of this.#watchers) watcher.response.end();
    this.#watchers.clear();
  }

  async close(): Promise<void> {
    this.dropWatches();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const method = request.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}`);
    const body = await readJson(request);

    if (method === 'GET' && url.pathname === '/version') {
      return sendJson(response, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0' });
    }
    if (method === 'POST' && url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      const attributes = ((body?.['spec'] as Json | undefined)?.['resourceAttributes'] ?? {}) as Json;
      const verb = String(attributes['verb']);
      const allowed = attributes['resource'] === 'leases' && !this.denied.has(verb as LeaseVerb);
      return sendJson(response, 201, { ...body, status: { allowed } });
    }
    const match = LEASES.exec(url.pathname);
    if (match === null)
      return sendStatus(response, 404, 'NotFound', `no route for ${method} ${url.pathname}`);
    const namespace = decodeURIComponent(match[1]!);
    const name = match[2] === undefined ? undefined : decodeURIComponent(match[2]);

    if (method === 'GET' && name === undefined) {
      const matches = selectorMatcher(
        url.searchParams.get('labelSelector'),
        url.searchParams.get('fieldSelector'),
      );
      if (url.searchParams.get('watch') === 'true') {
        this.#authorize('watch');
        return this.#watch(
          namespace,
          matches,
          Number(url.searchParams.get('resourceVersion') ?? '0'),
          response,
        );
      }
      this.#authorize('list');
      const items = [...this.#leases.values()]
        .filter((lease) => lease.namespace === namespace && matches(lease.object))
        .map((lease) => lease.object);
      return sendJson(response, 200, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'LeaseList',
        metadata: { resourceVersion: String(this.#lastVersion) },
        items,
      });
    }
    if (method === 'GET' && name !== undefined) {
      this.#authorize('get');
      const found = this.#leases.get(`${namespace}/${name}`);
      if (found === undefined) return sendStatus(response, 404, 'NotFound', `leases "${name}" not found`);
      return sendJson(response, 200, found.object);
    }
    if (method === 'POST' && name === undefined && body !== undefined) {
      this.#authorize('create');
      validateLease(body, 'create');
      await this.beforeWrite?.('create', namespace, body);
      const key = `${namespace}/${nameOf(body)}`;
      if (this.#leases.has(key))
        return sendStatus(response, 409, 'AlreadyExists', `leases "${nameOf(body)}" already exists`);
      return sendJson(response, 201, this.#store(namespace, body, 'ADDED'));
    }
    if (method === 'PUT' && name !== undefined && body !== undefined) {
      this.#authorize('update');
      validateLease(body, 'update');
      await this.beforeWrite?.('update', namespace, body);
      const current = this.#leases.get(`${namespace}/${name}`);
      if (current === undefined) return sendStatus(response, 404, 'NotFound', `leases "${name}" not found`);
      if (versionOf(current.object) !== versionOf(body)) {
        return sendStatus(
          response,
          409,
          'Conflict',
          `Operation cannot be fulfilled on leases.coordination.k8s.io "${name}": the object has been modified`,
        );
      }
      return sendJson(response, 200, this.#store(namespace, body, 'MODIFIED'));
    }
    if (method === 'DELETE' && name !== undefined) {
      this.#authorize('delete');
      const current = this.#leases.get(`${namespace}/${name}`);
      if (current === undefined) return sendStatus(response, 404, 'NotFound', `leases "${name}" not found`);
      const expected = ((body?.['preconditions'] as Json | undefined)?.['resourceVersion'] ?? undefined) as
        string | undefined;
      if (expected !== undefined && versionOf(current.object) !== expected) {
        return sendStatus(
          response,
          409,
          'Conflict',
          `Operation cannot be fulfilled on leases.coordination.k8s.io "${name}": the object has been modified`,
        );
      }
      this.#remove(namespace, current.object);
      return sendJson(response, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
    }
    return sendStatus(response, 405, 'MethodNotAllowed', `${method} ${url.pathname}`);
  }

  #remove(namespace: string, object: Json): void {
    this.#lastVersion += 1;
    this.#leases.delete(`${namespace}/${nameOf(object)}`);
    const metadata = { ...(object['metadata'] as Json), resourceVersion: String(this.#lastVersion) };
    const event: WatchEvent = {
      resourceVersion: this.#lastVersion,
      type: 'DELETED',
      namespace,
      object: { ...object, metadata },
    };
    this.#events.push(event);
    for (const watcher of this.#watchers) {
      if (watcher.namespace === namespace && watcher.matches(object)) writeEvent(watcher.response, event);
    }
  }

  #authorize(verb: LeaseVerb): void {
    if (this.denied.has(verb)) throw new FakeStatusError(403, 'Forbidden');
    if (this.failing.has(verb)) throw new FakeStatusError(500, 'etcdserver: request timed out');
  }

  #store(namespace: string, body: Json, type: 'ADDED' | 'MODIFIED'): Json {
    this.#lastVersion += 1;
    const metadata = { ...(body['metadata'] as Json), namespace, resourceVersion: String(this.#lastVersion) };
    const object = { ...body, apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata };
    this.#leases.set(`${namespace}/${nameOf(object)}`, { namespace, object });
    const event: WatchEvent = { resourceVersion: this.#lastVersion, type, namespace, object };
    this.#events.push(event);
    for (const watcher of this.#watchers) {
      if (watcher.namespace === namespace && watcher.matches(object)) writeEvent(watcher.response, event);
    }
    return object;
  }

  #watch(
    namespace: string,
    matches: (object: Json) => boolean,
    since: number,
    response: ServerResponse,
  ): void {
    response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    response.flushHeaders();
    for (const event of this.#events) {
      if (event.resourceVersion > since && event.namespace === namespace && matches(event.object)) {
        writeEvent(response, event);
      }
    }
    const watcher: Watcher = { namespace, matches, response };
    this.#watchers.add(watcher);
    response.on('close', () => this.#watchers.delete(watcher));
  }
}

function writeEvent(response: ServerResponse, event: WatchEvent): void {
  response.write(JSON.stringify({ type: event.type, object: event.object }) + '\n');
}

function validateLease(body: Json, verb: 'create' | 'update'): void {
  const metadata = (body['metadata'] ?? {}) as Json;
  if (typeof metadata['name'] !== 'string' || metadata['name'] === '') {
    throw new FakeStatusError(422, 'Invalid: metadata.name is required');
  }
  if (verb === 'create' && metadata['resourceVersion'] !== undefined) {
    throw new FakeStatusError(500, 'resourceVersion should not be set on objects to be created');
  }
  if (verb === 'update' && typeof metadata['resourceVersion'] !== 'string') {
    throw new FakeStatusError(422, 'Invalid: metadata.resourceVersion must be specified for an update');
  }
  const spec = (body['spec'] ?? {}) as Json;
  for (const field of ['acquireTime', 'renewTime']) {
    const value = spec[field];
    if (value !== undefined && (typeof value !== 'string' || !MICRO_TIME.test(value))) {
      throw new FakeStatusError(
        400,
        `spec.${field}: ${JSON.stringify(value)} is not a MicroTime (RFC 3339, 6 digits)`,
      );
    }
  }
}

function selectorMatcher(
  labelSelector: string | null,
  fieldSelector: string | null,
): (object: Json) => boolean {
  const labels = parseEquals(labelSelector);
  const fields = parseEquals(fieldSelector);
  return (object) => {
    const metadata = (object['metadata'] ?? {}) as Json;
    const objectLabels = (metadata['labels'] ?? {}) as Record<string, string>;
    for (const [key, value] of labels) if (objectLabels[key] !== value) return false;
    for (const [key, value] of fields) {
      if (key !== 'metadata.name') throw new FakeStatusError(400, `field selector ${key} is not supported`);
      if (metadata['name'] !== value) return false;
    }
    return true;
  };
}

function parseEquals(selector: string | null): [string, string][] {
  if (selector === null || selector === '') return [];
  return selector.split(',').map((term) => {
    const [key, value] = term.split('=');
    return [key ?? '', value ?? ''];
  });
}

function nameOf(object: Json): string {
  return String((object['metadata'] as Json | undefined)?.['name'] ?? '');
}

function versionOf(object: Json): unknown {
  return (object['metadata'] as Json | undefined)?.['resourceVersion'];
}

async function readJson(request: IncomingMessage): Promise<Json | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendStatus(response: ServerResponse, code: number, reason: string, message: string): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  sendJson(response, code, { apiVersion: 'v1', kind: 'Status', status: 'Failure', reason, message, code });
}
