// HTTP/2 streams are served on the stream itself (src/server/http2-exchange.ts), not through node's
// compatibility layer: what that layer did for us and a client may rely on is checked here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientHttp2Session } from 'node:http2';
import {
  ADMISSION_PATH,
  admissionStatus,
  JSON_HEADERS,
  h2Request,
  injectableReview,
  openH2Session,
  startTestServer,
  type TestServer,
} from './support.ts';

let harness: TestServer;
let session: ClientHttp2Session;
before(async () => {
  harness = await startTestServer();
  session = await openH2Session(harness.server.mainPort, harness.ca);
});
after(async () => {
  session.close();
  await harness.dispose();
});

describe('HTTP/2 exchange', () => {
  it(
    'sends 100 Continue to a client that expects it, then answers the request',
    { timeout: 10_000 },
    async () => {
      const stream = session.request({
        ':method': 'POST',
        ':path': ADMISSION_PATH,
        ...JSON_HEADERS,
        expect: '100-continue',
      });
      stream.on('error', () => {});
      // The body goes only after the server said to continue, as a careful client sends it.
      const continued = new Promise<void>((resolve) => stream.once('continue', () => resolve()));
      const status = new Promise<number>((resolve) =>
        stream.once('response', (headers) => resolve(Number(headers[':status']))),
      );
      await continued;
      stream.end(injectableReview('after-continue'));
      stream.resume();
      assert.equal(await status, 200);
    },
  );

  it('answers 417 to an expectation it does not know', async () => {
    const reply = await h2Request(session, {
      method: 'POST',
      path: ADMISSION_PATH,
      headers: { ...JSON_HEADERS, expect: 'something-else' },
      body: injectableReview('odd-expectation'),
    });
    assert.equal(reply.status, 417);
  });

  it('sends the headers a route set, with the status, and a body of the length it declares', async () => {
    const reply = await h2Request(session, { method: 'DELETE', path: '/ping' });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers['content-type'], 'application/json');
    assert.match(String(reply.headers.allow), /GET/);
    assert.equal(Number(reply.headers['content-length']), Buffer.byteLength(reply.body));
  });

  it('answers HEAD with headers only', async () => {
    const reply = await h2Request(session, { method: 'HEAD', path: '/ping' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '');
  });

  it('keeps serving the session after a stream the client reset before its answer', async () => {
    const stream = session.request({ ':method': 'POST', ':path': ADMISSION_PATH, ...JSON_HEADERS });
    stream.on('error', () => {});
    stream.write('{"apiVersion":');
    stream.close();
    assert.equal(await admissionStatus(session, 'after-reset'), 200);
  });
});
