// ClusterLoggingConfigs and the cluster Pod API through the real server without Kubernetes access (the
// embedded default): every route answers at once, 503 with a message that says why, never hangs; request
// errors are still 400 and unknown paths 404. With a cluster they are covered by the real-cluster tier.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOLS, openClient, startTestServer, type Client, type TestServer } from './support.ts';

let harness: TestServer;
before(async () => {
  harness = await startTestServer();
});
after(() => harness.dispose());

for (const protocol of PROTOCOLS) {
  describe(`cluster APIs without Kubernetes access, over ${protocol}`, () => {
    let client: Client;
    before(async () => {
      client = await openClient(protocol, harness.server.mainPort, harness.ca);
    });
    after(() => client.close());

    const unavailable: { path: string; message: RegExp }[] = [
      {
        path: '/v1/logging/configs?namespace=web&pod_name=nginx',
        message: /^no Kubernetes access: .*ClusterLoggingConfigs/,
      },
      { path: '/v1/cluster/api/v1/pods', message: /^Pod informer cache is not ready: no Kubernetes access/ },
      {
        path: '/v1/cluster/api/v1/pods?view=ebpf-v1',
        message: /^Pod informer cache is not ready: no Kubernetes access/,
      },
      { path: '/v1/cluster/api/v1/namespaces/web/pods', message: /no Kubernetes access/ },
      { path: '/v1/cluster/api/v1/namespaces/web/pods/nginx?view=full', message: /no Kubernetes access/ },
    ];
    for (const { path, message } of unavailable) {
      it(`GET ${path} is a 503 that says why`, async () => {
        const reply = await client.send({ method: 'GET', path });
        assert.equal(reply.status, 503);
        assert.match(String(reply.headers['content-type']), /^application\/json/);
        assert.match(JSON.parse(reply.body).error, message);
      });
    }

    const refused: { path: string; status: number; message: RegExp }[] = [
      {
        path: '/v1/logging/configs?namespace=web',
        status: 400,
        message: /^namespace, pod_name parameters are required$/,
      },
      { path: '/v1/cluster/api/v1/pods?view=everything', status: 400, message: /use one of ebpf-v1, full/ },
      {
        path: '/v1/cluster/api/v1/pods?fieldSelector=metadata.name%3Dx',
        status: 400,
        message: /spec\.nodeName=<node name>/,
      },
      { path: '/v1/cluster/api/v1/services', status: 404, message: /the cluster API serves/ },
    ];
    for (const { path, status, message } of refused) {
      it(`GET ${path} is a ${status}`, async () => {
        const reply = await client.send({ method: 'GET', path });
        assert.equal(reply.status, status);
        assert.match(JSON.parse(reply.body).error, message);
      });
    }

    it('refuses other methods with 405 and the allowed one', async () => {
      for (const path of ['/v1/logging/configs', '/v1/cluster/api/v1/pods']) {
        const reply = await client.send({
          method: 'POST',
          path,
          body: '{}',
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(reply.status, 405);
        assert.equal(reply.headers['allow'], 'GET');
      }
    });
  });
}
