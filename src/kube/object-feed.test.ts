// watchObjects against a small API server on 127.0.0.1: paged lists, watch events, and failures. What
// matters is what reaches the feature: only reduced objects (managedFields never stored, from the list or a
// watch event), `synced` only after a complete list, and a failing list reported and retried.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { watchObjects, type FeedObject } from './object-feed.ts';

interface Item extends FeedObject {
  readonly metadata: { name: string; namespace: string; resourceVersion?: string };
  readonly kept: string;
}

function rawPod(name: string, resourceVersion: string) {
  return {
    metadata: { name, namespace: 'web', resourceVersion, managedFields: [{ manager: 'x' }] },
    spec: { nodeName: 'n1' },
  };
}

function reduce(raw: unknown): Item | undefined {
  const { metadata } = raw as {
    metadata: { name: string; namespace: string; resourceVersion?: string; managedFields?: unknown };
  };
  assert.ok(metadata.managedFields, 'the fake server sends managedFields');
  return {
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      resourceVersion: metadata.resourceVersion ?? '',
    },
    kept: 'yes',
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (condition()) return;
    await sleep(10);
  }
  assert.fail(`gave up waiting for ${what}`);
}

describe('watchObjects', () => {
  let failuresLeft = 2;
  const watchers = new Set<ServerResponse>();
  const lists: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/pods') {
      response.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('');
      watchers.add(response);
      response.on('close', () => watchers.delete(response));
      return;
    }
    lists.push(url.search);
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', message: 'pods is forbidden' }));
      return;
    }
    const page = url.searchParams.get('continue') === 'page-2' ? 2 : 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        items: page === 1 ? [rawPod('a', '1')] : [rawPod('b', '2')],
        metadata: { resourceVersion: '10', ...(page === 1 ? { continue: 'page-2' } : {}) },
      }),
    );
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports a failing list, retries, lists every page, then stores watch events reduced', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const stored = new Map<string, Item>();
    const errors: string[] = [];
    const feed = watchObjects<Item>(config, {
      path: '/api/v1/pods',
      keep: reduce,
      onUpsert: (item) => stored.set(item.metadata.name, item),
      onDelete: (item) => stored.delete(item.metadata.name),
      onError: (error) => errors.push((error as Error).message),
      initialBackoffMs: 5,
      maxBackoffMs: 10,
    });
    try {
      assert.deepEqual(feed.status(), { synced: false, problem: undefined });
      feed.start();
      await until(() => errors.length >= 1, 'the first failure');
      assert.equal(feed.status().synced, false);
      assert.match(feed.status().problem ?? '', /HTTP 403: pods is forbidden/);
      await until(() => feed.status().synced, 'the sync');
      assert.equal(feed.status().problem, undefined);
      assert.deepEqual([...stored.keys()].sort(), ['a', 'b']);
      assert.deepEqual(lists.slice(-2), ['?limit=500', '?limit=500&continue=page-2']);

      await until(() => watchers.size === 1, 'the watch');
      const send = (type: string, object: unknown) => {
        for (const watcher of watchers) watcher.write(`${JSON.stringify({ type, object })}\n`);
      };
      send('ADDED', rawPod('c', '11'));
      send('MODIFIED', rawPod('a', '12'));
      send('DELETED', rawPod('b', '13'));
      await until(
        () => stored.has('c') && !stored.has('b') && stored.get('a')?.metadata.resourceVersion === '12',
        'the events',
      );
      for (const item of stored.values()) assert.deepEqual(Object.keys(item).sort(), ['kept', 'metadata']);
    } finally {
      await feed.stop();
      for (const watcher of watchers) watcher.end();
    }
  });
});
