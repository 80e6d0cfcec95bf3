import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ok, err } from '../errors/result.ts';
import type { AccessDecision, PodAccessAttributes } from './caller-access.ts';
import { toCachedPod } from './cached-pod.ts';
import { PodStore } from './pod-store.ts';
import type { PodQuery, PodRoute } from './pod-request.ts';
import { resolvePodReply, type PodSource } from './reply.ts';
import { apiServerPod } from './fixtures.test-support.ts';

function readyStore(): PodSource {
  const store = new PodStore();
  for (const [namespace, name, node] of [
    ['web', 'a', 'n1'],
    ['web', 'b', 'n2'],
    ['api', 'c', 'n1'],
  ] as const) {
    const pod = toCachedPod(apiServerPod(namespace, name, node));
    assert.ok(pod);
    store.upsert(pod);
  }
  return { ready: true, store };
}

const trimmed: PodQuery = { view: 'ebpf-v1', nodeName: undefined };
const full: PodQuery = { view: 'full', nodeName: undefined };
const allow = async (): Promise<AccessDecision> => ({ allowed: true, user: 'u' });
const deny = (status: 401 | 403) => async (): Promise<AccessDecision> => ({
  allowed: false,
  status,
  reason: `no ${status}`,
});

function namesOf(body: unknown): string[] {
  return (body as { metadata: { namespace: string; name: string } }[]).map(
    (pod) => `${pod.metadata.namespace}/${pod.metadata.name}`,
  );
}

describe('cluster Pod API replies', () => {
  it('a bad query is a 400 before anything else', async () => {
    const reply = await resolvePodReply(
      { kind: 'all' },
      err('view "x" is not a view'),
      { ready: false, reason: 'r' },
      allow,
    );
    assert.deepEqual(reply, {
      status: 400,
      body: { error: 'view "x" is not a view', code: 'DKO_ERR_QUERY_INVALID' },
    });
  });

  it('an unsynced cache is a 503 on every route, with upstream message first', async () => {
    for (const route of [
      { kind: 'all' },
      { kind: 'namespace', namespace: 'a' },
      { kind: 'pod', namespace: 'a', name: 'b' },
    ] as PodRoute[]) {
      const reply = await resolvePodReply(
        route,
        ok(trimmed),
        { ready: false, reason: 'still listing' },
        allow,
      );
      assert.deepEqual(reply, {
        status: 503,
        body: { error: 'Pod informer cache is not ready: still listing', code: 'DKO_ERR_NOT_READY' },
      });
    }
  });

  it('lists every pod, trimmed, as a bare array', async () => {
    const reply = await resolvePodReply({ kind: 'all' }, ok(trimmed), readyStore(), deny(401));
    assert.equal(reply.status, 200);
    assert.deepEqual(namesOf(reply.body), ['api/c', 'web/a', 'web/b']);
    assert.equal(JSON.stringify(reply.body).includes('"image"'), false);
  });

  it('lists one node, one namespace, and an unknown namespace as []', async () => {
    const source = readyStore();
    const node = await resolvePodReply(
      { kind: 'all' },
      ok({ view: 'ebpf-v1', nodeName: 'n1' }),
      source,
      allow,
    );
    assert.deepEqual(namesOf(node.body), ['api/c', 'web/a']);
    const namespace = await resolvePodReply(
      { kind: 'namespace', namespace: 'web' },
      ok(trimmed),
      source,
      allow,
    );
    assert.deepEqual(namesOf(namespace.body), ['web/a', 'web/b']);
    const unknown = await resolvePodReply(
      { kind: 'namespace', namespace: 'nope' },
      ok(trimmed),
      source,
      allow,
    );
    assert.deepEqual(unknown, { status: 200, body: [] });
  });

  it('gets one pod, and a 404 for one not in the cache or not on the node asked for', async () => {
    const source = readyStore();
    const found = await resolvePodReply(
      { kind: 'pod', namespace: 'web', name: 'a' },
      ok(trimmed),
      source,
      allow,
    );
    assert.equal(found.status, 200);
    assert.equal((found.body as { metadata: { uid: string } }).metadata.uid, 'uid-web-a');
    const missing = await resolvePodReply(
      { kind: 'pod', namespace: 'web', name: 'z' },
      ok(trimmed),
      source,
      allow,
    );
    assert.deepEqual(missing, {
      status: 404,
      body: { error: 'not found: pod web/z is not in the cache', code: 'DKO_ERR_OBJECT_NOT_FOUND' },
    });
    const otherNode = await resolvePodReply(
      { kind: 'pod', namespace: 'web', name: 'a' },
      ok({ view: 'ebpf-v1', nodeName: 'n2' }),
      source,
      allow,
    );
    assert.equal(otherNode.status, 404);
  });

  it('the full view needs the caller check, with the attributes of the route', async () => {
    const asked: PodAccessAttributes[] = [];
    const recording = async (attributes: PodAccessAttributes): Promise<AccessDecision> => {
      asked.push(attributes);
      return { allowed: true, user: 'u' };
    };
    const source = readyStore();
    const all = await resolvePodReply({ kind: 'all' }, ok(full), source, recording);
    assert.equal(JSON.stringify(all.body).includes('"image":"nginx:1.27"'), true);
    await resolvePodReply({ kind: 'namespace', namespace: 'web' }, ok(full), source, recording);
    await resolvePodReply({ kind: 'pod', namespace: 'web', name: 'a' }, ok(full), source, recording);
    await resolvePodReply({ kind: 'all' }, ok(trimmed), source, recording);
    assert.deepEqual(asked, [
      { verb: 'list', namespace: '' },
      { verb: 'list', namespace: 'web' },
      { verb: 'get', namespace: 'web', name: 'a' },
    ]);
  });

  it('a refused caller gets the refusal status and reason, and no pods', async () => {
    const codes = { 401: 'DKO_ERR_UNAUTHENTICATED', 403: 'DKO_ERR_FORBIDDEN' };
    for (const status of [401, 403] as const) {
      const reply = await resolvePodReply({ kind: 'all' }, ok(full), readyStore(), deny(status));
      assert.deepEqual(reply, { status, body: { error: `no ${status}`, code: codes[status] } });
    }
  });
});
