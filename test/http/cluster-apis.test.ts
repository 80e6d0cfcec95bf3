// ClusterLoggingConfigs and the cluster Pod API through the real server without Kubernetes access (the
// embedded default): every route answers at once, 503 with a message that says why, never hangs; request
// errors are still 400 and unknown paths 404. With a cluster they are covered by the real-cluster tier.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOLS, openClient, startTestServer, type Client, type TestServer } from './support.ts';
import { ErrorCode } from '../../src/errors/codes.ts';

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
        assert.equal(JSON.parse(reply.body).code, ErrorCode.NOT_READY);
      });
    }

    // `code: undefined`: a body upstream fixes, sent as upstream sends it (reference §2.4).
    const refused: { path: string; status: number; message: RegExp; code: ErrorCode | undefined }[] = [
      {
        path: '/v1/logging/configs?namespace=web',
        status: 400,
        message: /^namespace, pod_name parameters are required$/,
        code: undefined,
      },
      {
        path: '/v1/cluster/api/v1/pods?view=everything',
        status: 400,
        message: /use one of ebpf-v1, full/,
        code: ErrorCode.QUERY_INVALID,
      },
      {
        path: '/v1/cluster/api/v1/pods?fieldSelector=metadata.name%3Dx',
        status: 400,
        message: /spec\.nodeName=<node name>/,
        code: ErrorCode.QUERY_INVALID,
      },
      {
        path: '/v1/cluster/api/v1/services',
        status: 404,
        message: /the cluster API serves/,
        code: ErrorCode.HTTP_NOT_FOUND,
      },
    ];
    for (const { path, status, message, code } of refused) {
      it(`GET ${path} is a ${status}${code === undefined ? ' with upstream body' : ` with ${code}`}`, async () => {
        const reply = await client.send({ method: 'GET', path });
        assert.equal(reply.status, status);
        const body = JSON.parse(reply.body) as { error: string; code?: string };
        assert.match(body.error, message);
        if (code === undefined) assert.deepEqual(Object.keys(body), ['error']);
        else assert.equal(body.code, code);
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
        assert.equal(JSON.parse(reply.body).code, ErrorCode.HTTP_METHOD_NOT_ALLOWED);
      }
    });
  });
}
