import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PROTOCOLS,
  healthRequest,
  openClient,
  startTestServer,
  type Client,
  type TestServer,
} from './support.ts';
import { ErrorCode } from '../../src/errors/codes.ts';

let harness: TestServer;
before(async () => {
  harness = await startTestServer();
});
after(() => harness.dispose());

for (const protocol of PROTOCOLS) {
  describe(`main listener over ${protocol}`, () => {
    let client: Client;
    before(async () => {
      client = await openClient(protocol, harness.server.mainPort, harness.ca);
    });
    after(() => client.close());

    it('answers GET /ping with OK and a newline', async () => {
      const reply = await client.send({ method: 'GET', path: '/ping' });
      assert.equal(reply.status, 200);
      assert.equal(reply.body, 'OK\n');
    });

    it('answers HEAD /ping with 200 and no body', async () => {
      const reply = await client.send({ method: 'HEAD', path: '/ping' });
      assert.equal(reply.status, 200);
      assert.equal(reply.body, '');
    });

    it('answers GET /v1/ping with {"status":"ok"}', async () => {
      const reply = await client.send({ method: 'GET', path: '/v1/ping' });
      assert.equal(reply.status, 200);
      assert.match(String(reply.headers['content-type']), /^application\/json/);
      assert.deepEqual(JSON.parse(reply.body), { status: 'ok' });
    });

    it('serves Prometheus metrics including the build info', async () => {
      const reply = await client.send({ method: 'GET', path: '/metrics' });
      assert.equal(reply.status, 200);
      assert.match(String(reply.headers['content-type']), /^text\/plain/);
      assert.match(
        reply.body,
        /^datakit_operator_build_info\{version="[^"]+",node_version="v\d+[^"]*"\} 1$/m,
      );
      assert.match(reply.body, /^process_cpu_user_seconds_total /m);
    });

    it('answers an unknown path with a 404 JSON error', async () => {
      const reply = await client.send({ method: 'GET', path: '/nowhere?x=1' });
      assert.equal(reply.status, 404);
      assert.match(JSON.parse(reply.body).error, /\/nowhere/);
      assert.equal(JSON.parse(reply.body).code, ErrorCode.HTTP_NOT_FOUND);
    });

    const wrongMethods: readonly [string, string, string][] = [
      ['POST', '/ping', 'GET, HEAD'],
      ['GET', '/v1/webhooks/inject', 'POST'],
      ['DELETE', '/metrics', 'GET'],
    ];
    for (const [method, path, allow] of wrongMethods) {
      it(`answers ${method} ${path} with 405 and Allow: ${allow}`, async () => {
        const reply = await client.send({ method, path });
        assert.equal(reply.status, 405);
        assert.equal(reply.headers['allow'], allow);
        assert.match(JSON.parse(reply.body).error, new RegExp(`${method} is not allowed`));
        assert.equal(JSON.parse(reply.body).code, ErrorCode.HTTP_METHOD_NOT_ALLOWED);
      });
    }
  });
}

describe('health listener (plain HTTP)', () => {
  it('answers /healthz with 200', async () => {
    const reply = await healthRequest(harness.server.healthPort, 'GET', '/healthz');
    assert.equal(reply.status, 200);
  });

  it('answers /readyz with 200 while serving', async () => {
    const reply = await healthRequest(harness.server.healthPort, 'GET', '/readyz');
    assert.equal(reply.status, 200);
    assert.equal(harness.server.isReady(), true);
  });

  it('serves the same metrics registry as the main listener', async () => {
    const reply = await healthRequest(harness.server.healthPort, 'GET', '/metrics');
    assert.equal(reply.status, 200);
    assert.match(reply.body, /^# TYPE datakit_operator_admission_requests_total counter$/m);
    assert.match(reply.body, /^datakit_operator_config_last_reload_success 1$/m);
  });

  it('answers an unknown path with 404', async () => {
    const reply = await healthRequest(harness.server.healthPort, 'GET', '/ping');
    assert.equal(reply.status, 404);
    assert.equal(JSON.parse(reply.body).code, ErrorCode.HTTP_NOT_FOUND);
  });
});
