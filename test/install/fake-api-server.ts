// An in-process stand-in for the kube-apiserver, just real enough for the install tests: a generic object
// store for the REST paths the operator uses (namespaced and cluster-scoped, core and grouped APIs) with
// the API server's optimistic concurrency (resourceVersion on every write, 409 AlreadyExists on a second
// create, 409 Conflict on a stale update or on a JSON Patch that restates an old resourceVersion), list
// with a metadata.name field selector, watch as a stream of ADDED/MODIFIED/DELETED events, `/version`, and,
// optionally, RBAC enforced from the Role/ClusterRole rules of a rendered manifest (SelfSubjectAccessReviews
// answered from the same rules), so that a test proves the shipped permissions are enough. Plain HTTP on
// 127.0.0.1; the real-cluster tier covers TLS and the real API server.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import fastJsonPatch from 'fast-json-patch';
import { stringify } from 'yaml';

const { applyPatch } = fastJsonPatch;

type KubeObject = Record<string, unknown> & {
  metadata?: Record<string, unknown> & { name?: string; namespace?: string; resourceVersion?: string };
};

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

export interface FakeRbac {
  /** Rules of the Role, granted in `namespace` only. */
  readonly namespace: string;
  readonly namespacedRules: readonly PolicyRule[];
  /** Rules of the ClusterRole, granted everywhere. */
  readonly clusterRules: readonly PolicyRule[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly verb: string;
  readonly resource: string;
  readonly name: string | undefined;
  readonly status: number;
}

export interface FakeApiServerOptions {
  readonly rbac?: FakeRbac;
  /** Requests that match are held until `parties` of them have arrived, then all answered (a race on demand). */
  readonly barrier?: { readonly match: (method: string, path: string) => boolean; readonly parties: number };
}

export interface FakeApiServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  get(group: string, resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Stores an object as a client's create would (a new resourceVersion), bypassing RBAC. */
  seed(group: string, resource: string, object: KubeObject): KubeObject;
  remove(group: string, resource: string, namespace: string | undefined, name: string): void;
  /** Writes a kubeconfig for this server (token auth) and returns its path. */
  writeKubeconfig(path: string): Promise<string>;
  close(): Promise<void>;
}

interface ParsedPath {
  readonly group: string;
  readonly resource: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
}

const SERVER_VERSION = { major: '1', minor: '31', gitVersion: 'v1.31.0', platform: 'linux/amd64' };

export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const objects = new Map<string, KubeObject>();
  const requests: RecordedRequest[] = [];
  let version = 100;
  const nextVersion = (): string => String(++version);
  const keyOf = (group: string, resource: string, namespace: string | undefined, name: string): string =>
    `${group}/${resource}/${namespace ?? ''}/${name}`;

  const held: (() => void)[] = [];
  const watchers = new Set<{ prefix: string; name: string | undefined; response: ServerResponse }>();
  const notify = (key: string, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void => {
    for (const watcher of watchers) {
      if (!key.startsWith(watcher.prefix)) continue;
      if (watcher.name !== undefined && object.metadata?.name !== watcher.name) continue;
      watcher.response.write(`${JSON.stringify({ type, object })}\n`);
    }
  };
  let barrierOpen = options.barrier === undefined;

  const store = (path: ParsedPath, name: string, object: KubeObject): KubeObject => {
    const stored = structuredClone(object);
    stored.metadata = {
      ...stored.metadata,
      name,
      ...(path.namespace !== undefined ? { namespace: path.namespace } : {}),
      resourceVersion: nextVersion(),
    };
    const key = keyOf(path.group, path.resource, path.namespace, name);
    const type = objects.has(key) ? 'MODIFIED' : 'ADDED';
    objects.set(key, stored);
    notify(key, type, stored);
    return stored;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    if (!barrierOpen && options.barrier?.match(method, url.pathname)) {
      await new Promise<void>((release) => {
        held.push(release);
        if (held.length >= (options.barrier?.parties ?? 0)) {
          barrierOpen = true;
          for (const next of held.splice(0)) next();
        }
      });
    }
    if (url.pathname === '/version') return send(response, 200, SERVER_VERSION);

    const path = parsePath(url.pathname);
    if (path === undefined)
      return send(response, 404, status(404, 'NotFound', `no route for ${url.pathname}`));
    const verb = verbOf(method, path, url);
    const record = (code: number): void => {
      requests.push({
        method,
        path: url.pathname,
        verb,
        resource: path.resource,
        name: path.name,
        status: code,
      });
    };
    const reply = (code: number, payload: unknown): void => {
      record(code);
      send(response, code, payload);
    };

    if (options.rbac && !isAllowed(options.rbac, path, verb)) {
      return reply(
        403,
        status(
          403,
          'Forbidden',
          `${path.resource} "${path.name ?? ''}" is forbidden: cannot ${verb} in ${path.namespace ?? 'the cluster scope'}`,
        ),
      );
    }

    if (path.resource === 'selfsubjectaccessreviews' && method === 'POST') {
      const review = JSON.parse(body) as { spec?: { resourceAttributes?: Record<string, string> } };
      const attributes = review.spec?.resourceAttributes ?? {};
      const allowed = options.rbac
        ? isAllowed(
            options.rbac,
            {
              group: attributes['group'] ?? '',
              resource: attributes['resource'] ?? '',
              namespace: attributes['namespace'] || undefined,
              name: attributes['name'] || undefined,
            },
            attributes['verb'] ?? '',
          )
        : true;
      return reply(201, { ...review, status: { allowed } });
    }

    const key =
      path.name === undefined ? undefined : keyOf(path.group, path.resource, path.namespace, path.name);
    const existing = key === undefined ? undefined : objects.get(key);
    switch (method) {
      case 'GET': {
        if (path.name === undefined) {
          const nameSelector = /metadata\.name=([^,]+)/.exec(
            url.searchParams.get('fieldSelector') ?? '',
          )?.[1];
          const prefix = `${path.group}/${path.resource}/${path.namespace ?? ''}/`;
          if (verb === 'watch') {
            // A stream of events from now on (a client lists first, then watches from that version).
            record(200);
            response.writeHead(200, { 'content-type': 'application/json' });
            const watcher = { prefix, name: nameSelector, response };
            watchers.add(watcher);
            response.once('close', () => watchers.delete(watcher));
            return;
          }
          const items = [...objects.entries()]
            .filter(
              ([k, o]) =>
                k.startsWith(prefix) && (nameSelector === undefined || o.metadata?.name === nameSelector),
            )
            .map(([, o]) => o);
          return reply(200, {
            kind: 'List',
            apiVersion: 'v1',
            metadata: { resourceVersion: String(version) },
            items,
          });
        }
        return existing
          ? reply(200, existing)
          : reply(404, status(404, 'NotFound', `${path.resource} "${path.name}" not found`));
      }
      case 'POST': {
        const object = JSON.parse(body) as KubeObject;
        const name = object.metadata?.name;
        if (!name) return reply(422, status(422, 'Invalid', 'metadata.name: Required value'));
        if (objects.has(keyOf(path.group, path.resource, path.namespace, name))) {
          return reply(409, status(409, 'AlreadyExists', `${path.resource} "${name}" already exists`));
        }
        return reply(201, store(path, name, object));
      }
      case 'PUT': {
        if (!existing || path.name === undefined)
          return reply(404, status(404, 'NotFound', `${path.resource} "${path.name ?? ''}" not found`));
        const object = JSON.parse(body) as KubeObject;
        const wanted = object.metadata?.resourceVersion;
        if (wanted && wanted !== existing.metadata?.resourceVersion) {
          return reply(409, conflict(path));
        }
        return reply(200, store(path, path.name, object));
      }
      case 'PATCH': {
        if (!existing || path.name === undefined)
          return reply(404, status(404, 'NotFound', `${path.resource} "${path.name ?? ''}" not found`));
        const contentType = request.headers['content-type'] ?? '';
        let patched: KubeObject;
        try {
          patched = contentType.includes('json-patch')
            ? (applyPatch(structuredClone(existing), JSON.parse(body), true, false).newDocument as KubeObject)
            : (mergePatch(structuredClone(existing), JSON.parse(body)) as KubeObject);
        } catch (cause) {
          return reply(422, status(422, 'Invalid', `the patch does not apply: ${(cause as Error).message}`));
        }
        if (patched.metadata?.resourceVersion !== existing.metadata?.resourceVersion)
          return reply(409, conflict(path));
        return reply(200, store(path, path.name, patched));
      }
      case 'DELETE': {
        if (!existing || key === undefined)
          return reply(404, status(404, 'NotFound', `${path.resource} "${path.name ?? ''}" not found`));
        objects.delete(key);
        notify(key, 'DELETED', existing);
        return reply(200, status(200, 'Success', 'deleted'));
      }
      default:
        return reply(405, status(405, 'MethodNotAllowed', `${method} is not supported`));
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((cause: unknown) =>
      send(response, 500, status(500, 'InternalError', String(cause))),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    get: (group, resource, namespace, name) => objects.get(keyOf(group, resource, namespace, name)),
    seed(group, resource, object) {
      const name = object.metadata?.name ?? '';
      return store({ group, resource, namespace: object.metadata?.namespace, name }, name, object);
    },
    remove(group, resource, namespace, name) {
      const key = keyOf(group, resource, namespace, name);
      const existing = objects.get(key);
      objects.delete(key);
      if (existing) notify(key, 'DELETED', existing);
    },
    async writeKubeconfig(path) {
      const kubeconfig = {
        apiVersion: 'v1',
        kind: 'Config',
        // client-node refuses plain HTTP unless TLS verification is (nominally) off.
        clusters: [{ name: 'fake', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'operator', user: { token: 'fake-service-account-token' } }],
        contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'operator' } }],
        'current-context': 'fake',
      };
      await writeFile(path, stringify(kubeconfig));
      return path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of held.splice(0)) release();
        for (const watcher of watchers) watcher.response.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parsePath(pathname: string): ParsedPath | undefined {
  const parts = pathname.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name] = rest;
  if (resource === undefined || rest.length > 2) return undefined;
  return { group, resource, namespace, name };
}

function verbOf(method: string, path: ParsedPath, url: URL): string {
  switch (method) {
    case 'GET':
      if (path.name !== undefined) return 'get';
      return url.searchParams.get('watch') === 'true' ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return method.toLowerCase();
  }
}

/** RBAC as the API server evaluates it (no wildcards needed: the shipped rules use none). */
function isAllowed(rbac: FakeRbac, path: ParsedPath, verb: string): boolean {
  const matches = (rule: PolicyRule): boolean =>
    (rule.apiGroups ?? []).includes(path.group) &&
    (rule.resources ?? []).includes(path.resource) &&
    rule.verbs.includes(verb) &&
    (rule.resourceNames === undefined ||
      rule.resourceNames.length === 0 ||
      (path.name !== undefined && rule.resourceNames.includes(path.name)));
  if (rbac.clusterRules.some(matches)) return true;
  return path.namespace === rbac.namespace && rbac.namespacedRules.some(matches);
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    code,
  };
}

function conflict(path: ParsedPath): Record<string, unknown> {
  return status(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${path.resource} "${path.name ?? ''}": the object has been modified; please apply your changes to the latest version and try again`,
  );
}

function send(response: ServerResponse, code: number, payload: unknown): void {
  response.writeHead(code, { 'content-type': 'application/json' });
  response.end(JSON.stringify(payload));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
