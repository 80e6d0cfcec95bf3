import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientHttp2Stream } from 'node:http2';
import { Agent, request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import type { AdmissionReviewResponse } from '../../src/admission/types.ts';
import {
  ADMISSION_PATH,
  JSON_HEADERS,
  LOOPBACK,
  healthRequest,
  h1Request,
  h2Request,
  injectableReview,
  openH2Session,
  startTestServer,
  type Reply,
} from './support.ts';
import { ErrorCode } from '../../src/errors/codes.ts';

function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, LOOPBACK, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Starts an HTTP/1.1 admission request and sends only the first half of its body. */
function startH1Request(port: number, ca: string, body: string) {
  const half = Math.floor(body.length / 2);
  let finish!: () => void;
  // Resolves once the first half has been flushed to an established TLS connection: from then on the
  // server holds an in-flight request (a fixed sleep is not enough on a loaded machine).
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const reply = new Promise<Reply>((resolve, reject) => {
    const request = httpsRequest(
      {
        host: LOOPBACK,
        port,
        ca,
        method: 'POST',
        path: ADMISSION_PATH,
        headers: { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on('error', reject);
    request.write(body.slice(0, half), () => markSent());
    finish = () => request.end(body.slice(half));
  });
  return { reply, sent, finish: () => finish() };
}

function readStream(stream: ClientHttp2Stream): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status, headers: {}, body: Buffer.concat(chunks).toString() }));
    stream.on('error', reject);
  });
}

describe('graceful shutdown', () => {
  it('turns readiness off at once, stops accepting, and lets in-flight h2 and HTTP/1.1 requests finish', async () => {
    const harness = await startTestServer({ shutdownTimeoutMs: 10_000 });
    const { mainPort, healthPort } = harness.server;
    const body = injectableReview('in-flight');

    const h1 = startH1Request(mainPort, harness.ca, body);
    const session = await openH2Session(mainPort, harness.ca);
    const stream = session.request({ ':method': 'POST', ':path': ADMISSION_PATH, ...JSON_HEADERS });
    const h2Reply = readStream(stream);
    await new Promise<void>((resolve) => stream.write(body.slice(0, 100), () => resolve()));
    await h1.sent;
    // Let both requests reach the server's handlers before shutting down.
    await new Promise((resolve) => setTimeout(resolve, 100));

    const closed = harness.server.close();
    assert.equal(harness.server.isReady(), false);
    const notReady = await healthRequest(healthPort, 'GET', '/readyz');
    assert.equal(notReady.status, 503);
    assert.deepEqual(JSON.parse(notReady.body), { status: 'not ready', code: ErrorCode.NOT_READY });
    assert.equal((await healthRequest(healthPort, 'GET', '/healthz')).status, 200);
    assert.equal(await isRefused(mainPort), true);

    h1.finish();
    stream.end(body.slice(100));
    for (const reply of [await h1.reply, await h2Reply]) {
      assert.equal(reply.status, 200);
      const review = JSON.parse(reply.body) as AdmissionReviewResponse;
      assert.equal(review.response.uid, 'in-flight');
      assert.equal(review.response.patchType, 'JSONPatch');
    }
    await closed;
    assert.equal(await isRefused(healthPort), true);
    session.destroy();
    await harness.dispose();
  });

  it('closes idle keep-alive connections and h2 sessions without waiting for the deadline', async () => {
    const harness = await startTestServer({ shutdownTimeoutMs: 10_000 });
    const agent = new Agent({ keepAlive: true, ca: harness.ca });
    const idle = await new Promise<number>((resolve, reject) => {
      httpsRequest({ host: LOOPBACK, port: harness.server.mainPort, path: '/ping', agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
    assert.equal(idle, 200);
    const session = await openH2Session(harness.server.mainPort, harness.ca);
    session.on('error', () => {});
    assert.equal((await h2Request(session, { method: 'GET', path: '/ping' })).status, 200);

    const started = Date.now();
    await harness.server.close();
    // Quiet HTTP/1.1 connections are closed after a 1 s grace; the deadline is 10 s.
    assert.ok(Date.now() - started < 10_000, `shutdown took ${Date.now() - started} ms`);
    agent.destroy();
    session.destroy();
    await harness.dispose();
  });

  it('keeps answering a busy HTTP/1.1 keep-alive connection while draining, with Connection: close', async () => {
    const harness = await startTestServer({ shutdownTimeoutMs: 10_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: harness.ca });
    const send = (uid: string): Promise<Reply> => {
      const body = injectableReview(uid);
      const headers = { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(body)) };
      return h1Request(
        harness.server.mainPort,
        harness.ca,
        { method: 'POST', path: ADMISSION_PATH, headers, body },
        agent,
      );
    };
    assert.equal((await send('before')).status, 200);
    const closed = harness.server.close();
    // The connection was idle when the shutdown began; the client's next requests on it, sent at once,
    // are answered until one tells it to close — none is reset.
    const replies: Reply[] = [];
    for (let index = 0; index < 5; index += 1) {
      const reply = await send(`draining-${index}`);
      replies.push(reply);
      if (reply.headers['connection'] === 'close') break;
    }
    assert.equal(replies[0]?.status, 200);
    assert.equal(replies[0]?.headers['connection'], 'close');
    await closed;
    agent.destroy();
    await harness.dispose();
  });

  it('with a shutdown delay (in a cluster), keeps accepting new connections with readiness already off', async () => {
    const harness = await startTestServer({ shutdownTimeoutMs: 10_000, shutdownDelayMs: 1_500 });
    const { mainPort, healthPort } = harness.server;
    const closed = harness.server.close();
    assert.equal((await healthRequest(healthPort, 'GET', '/readyz')).status, 503);
    // A new connection, as the API server opens through a kube-proxy that has not yet dropped the pod.
    const reply = await h1Request(mainPort, harness.ca, {
      method: 'POST',
      path: ADMISSION_PATH,
      headers: JSON_HEADERS,
      body: injectableReview('during-delay'),
    });
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as AdmissionReviewResponse).response.patchType, 'JSONPatch');
    await closed;
    assert.equal(await isRefused(mainPort), true);
    assert.ok(harness.logs.some((line) => /still accepting while the endpoint is removed/.test(line.msg)));
    await harness.dispose();
  });

  it('gives up on a request that never finishes once the deadline passes', async () => {
    const harness = await startTestServer({ shutdownTimeoutMs: 300 });
    const stuck = startH1Request(harness.server.mainPort, harness.ca, injectableReview('stuck'));
    const outcome = stuck.reply.then(
      () => 'answered',
      () => 'cut off',
    );
    await stuck.sent;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await harness.server.close();
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 3000, `shutdown took ${took} ms`);
    assert.equal(await outcome, 'cut off');
    assert.ok(harness.logs.some((line) => /deadline/.test(line.msg)));
    await harness.dispose();
  });

  it('can be closed twice', async () => {
    const harness = await startTestServer();
    await Promise.all([harness.server.close(), harness.server.close()]);
    assert.equal(
      await h1Request(harness.server.mainPort, harness.ca, { method: 'GET', path: '/ping' }).catch(
        () => 'refused',
      ),
      'refused',
    );
    await harness.dispose();
  });
});
