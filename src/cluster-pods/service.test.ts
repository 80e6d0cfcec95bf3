// The Pod API service as the server mounts it, with a fake feed in place of the informer: what the pod
// cache holds is what a list answers, also after a change of the cache (the list answers are cached per
// revision of the store; a cached answer must never outlive the pods it was built from).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { FeedObject, ObjectFeedOptions, OpenFeed } from '../kube/object-feed.ts';
import { buildRouter } from '../http/router.ts';
import { apiServerPod } from './fixtures.test-support.ts';
import { buildClusterPodService, type ClusterPodService } from './service.ts';

interface FakeFeed {
  upsert(raw: unknown): void;
  remove(raw: unknown): void;
}

function fakeFeed(): { open: OpenFeed; feed: FakeFeed } {
  let handlers: ObjectFeedOptions<FeedObject> | undefined;
  const open: OpenFeed = <T extends FeedObject>(options: ObjectFeedOptions<T>) => {
    handlers = options as unknown as ObjectFeedOptions<FeedObject>;
    return { start: () => {}, stop: async () => {}, status: () => ({ synced: true, problem: undefined }) };
  };
  const stored = (raw: unknown): FeedObject => {
    const object = handlers?.keep(raw);
    assert.ok(object, 'the feed dropped the pod');
    return object;
  };
  return {
    open,
    feed: {
      upsert: (raw) => handlers?.onUpsert(stored(raw)),
      remove: (raw) => handlers?.onDelete(stored(raw)),
    },
  };
}

describe('cluster Pod API service', () => {
  let server: Server;
  let service: ClusterPodService;
  let feed: FakeFeed;
  let base: string;

  before(async () => {
    const fake = fakeFeed();
    feed = fake.feed;
    const logger = pino({ level: 'silent' });
    service = buildClusterPodService({ openFeed: fake.open, reviewCaller: undefined, logger });
    service.start();
    server = createServer(buildRouter(service.routes, logger));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await service.close();
    await new Promise((resolve) => server.close(resolve));
  });

  async function listedNames(path: string): Promise<string[]> {
    const reply = await fetch(`${base}${path}`);
    assert.equal(reply.status, 200);
    // A bare array of pods, as upstream answers.
    const pods = (await reply.json()) as { metadata: { name: string } }[];
    return pods.map((pod) => pod.metadata.name).sort();
  }

  const lists = [
    '/v1/cluster/api/v1/pods',
    '/v1/cluster/api/v1/pods?view=ebpf-v1',
    '/v1/cluster/api/v1/namespaces/web/pods',
    '/v1/cluster/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a',
  ];

  it('answers each list with the pods of the cache, again and again, then with the new ones after a change', async () => {
    feed.upsert(apiServerPod('web', 'first', 'node-a'));
    for (const path of lists) {
      assert.deepEqual(await listedNames(path), ['first'], path);
      assert.deepEqual(await listedNames(path), ['first'], `${path}, asked again`);
    }
    feed.upsert(apiServerPod('web', 'second', 'node-a'));
    for (const path of lists) assert.deepEqual(await listedNames(path), ['first', 'second'], path);
    feed.remove(apiServerPod('web', 'first', 'node-a'));
    for (const path of lists) assert.deepEqual(await listedNames(path), ['second'], path);
    assert.equal(service.size(), 1);
  });

  it('answers a changed pod as it is now, not as it was cached', async () => {
    const moved = apiServerPod('web', 'second', 'node-b');
    feed.upsert(moved);
    assert.deepEqual(await listedNames('/v1/cluster/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a'), []);
    assert.deepEqual(await listedNames('/v1/cluster/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-b'), [
      'second',
    ]);
  });
});
