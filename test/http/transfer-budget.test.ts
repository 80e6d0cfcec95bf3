// SPEC §15 at the HTTP tier: the request bodies still arriving and the answers not yet taken, over every
// connection and stream, are held within one budget. A request that does not fit is answered 503 with
// Retry-After and its code, and is counted; the bytes come back when a held body completes or its client
// leaves, or when an answer nobody reads passes its deadline, and the same request is then served. The budget is shrunk for the test; the default is pinned with the other
// connection limits (hostile-clients.test.ts).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  connect,
  constants as http2Constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
} from 'node:http2';
import { ErrorCode } from '../../src/errors/codes.ts';
import { TASK_ELECTION_PATH } from '../../src/election/constants.ts';
import { DEFAULT_CONNECTION_LIMITS } from '../../src/server/connection-limits.ts';
import { buildReview } from '../support/admission.ts';
import {
  ADMISSION_PATH,
  JSON_HEADERS,
  PROTOCOLS,
  h1Request,
  injectableReview,
  metricValue,
  openClient,
  openH2Session,
  startTestServer,
  waitFor,
  type TestServer,
} from './support.ts';

const KIB = 1024;
const BUDGET_BYTES = 256 * KIB;
/** Held unfinished: 200 KiB leave 56 KiB of the budget. */
const HELD_BYTES = 200 * KIB;
const ANSWER_DEADLINE_MS = 3_000;
const IN_FLIGHT = 'datakit_operator_http_buffered_bytes';
const BUSY = 'datakit_operator_admission_requests_total{result="busy"}';

let harness: TestServer;
let session: ClientHttp2Session;
before(async () => {
  harness = await startTestServer({
    connectionLimits: {
      ...DEFAULT_CONNECTION_LIMITS,
      maxBufferedBytes: BUDGET_BYTES,
      // Also the deadline of an answer nobody reads.
      requestTimeoutMs: ANSWER_DEADLINE_MS,
    },
  });
  session = await openH2Session(harness.server.mainPort, harness.ca);
});
after(async () => {
  session.close();
  await harness.dispose();
});

async function metric(series: string): Promise<number> {
  const reply = await h1Request(harness.server.mainPort, harness.ca, { method: 'GET', path: '/metrics' });
  return metricValue(reply.body, series) ?? 0;
}

/** An ordinary injectable review padded with trailing whitespace (still valid JSON) to `bytes`. */
function paddedReview(uid: string, bytes: number): string {
  const review = injectableReview(uid);
  return review + ' '.repeat(Math.max(0, bytes - review.length));
}

/** A stream that has sent `bytes` of a body it never finishes; resolves once the server holds them. */
async function holdBody(bytes: number): Promise<ClientHttp2Stream> {
  const stream = session.request({ ':method': 'POST', ':path': ADMISSION_PATH, ...JSON_HEADERS });
  stream.on('error', () => {});
  stream.write(Buffer.alloc(bytes, 0x20));
  await waitFor(async () => (await metric(IN_FLIGHT)) >= bytes, 'the server to hold the unfinished body');
  return stream;
}

async function release(stream: ClientHttp2Stream): Promise<void> {
  stream.close(http2Constants.NGHTTP2_CANCEL);
  await waitFor(async () => (await metric(IN_FLIGHT)) === 0, 'the held bytes to be given back');
}

describe('the budget for request bodies in flight', () => {
  for (const protocol of PROTOCOLS) {
    it(`answers 503 with Retry-After to a body that does not fit, then serves it once the bytes are back (${protocol})`, async () => {
      const held = await holdBody(HELD_BYTES);
      const client = await openClient(protocol, harness.server.mainPort, harness.ca);
      try {
        const busyBefore = await metric(BUSY);
        const request = {
          method: 'POST',
          path: ADMISSION_PATH,
          headers: JSON_HEADERS,
          body: paddedReview('too-big-for-now', 64 * KIB),
        };
        const refused = await client.send(request);
        assert.equal(refused.status, 503);
        assert.equal(refused.headers['retry-after'], '1');
        const answer = JSON.parse(refused.body) as { code: string; error: string };
        assert.equal(answer.code, ErrorCode.HTTP_BUSY);
        assert.match(
          answer.error,
          new RegExp(`holds ${BUDGET_BYTES} bytes \\(its limit\\) of request bodies still arriving`),
        );
        assert.equal(await metric(BUSY), busyBefore + 1);

        // What still fits is served meanwhile: an ordinary pod is a few KiB.
        const small = await client.send({ ...request, body: injectableReview('small') });
        assert.equal(small.status, 200);

        await release(held);
        assert.equal((await client.send(request)).status, 200);
      } finally {
        client.close();
      }
    });
  }

  it('gives the bytes back when a held body completes, whatever its answer', async () => {
    const held = await holdBody(HELD_BYTES);
    const answered = new Promise<number>((resolve) =>
      held.on('response', (headers) => resolve(Number(headers[':status']))),
    );
    held.end();
    // Whitespace only: not JSON.
    assert.equal(await answered, 400);
    held.resume();
    await waitFor(async () => (await metric(IN_FLIGHT)) === 0, 'the completed body to be given back');
  });

  it('shares the budget with the task election, which answers 503 in plain text', async () => {
    const held = await holdBody(HELD_BYTES);
    try {
      const poll = JSON.stringify({ id: 'node-1', namespace: 'default', tasks: { cpu: 1 } });
      const refused = await h1Request(harness.server.mainPort, harness.ca, {
        method: 'POST',
        path: TASK_ELECTION_PATH,
        headers: JSON_HEADERS,
        body: poll + ' '.repeat(64 * KIB),
      });
      assert.equal(refused.status, 503);
      assert.equal(refused.headers['retry-after'], '1');
      assert.match(String(refused.headers['content-type']), /^text\/plain/);
      assert.match(
        refused.body,
        /^Server busy: it already holds \d+ bytes of request bodies and answers in flight/,
      );
    } finally {
      await release(held);
    }
  });

  it('holds the answers a client does not read, refuses what does not fit, and cuts them at the deadline', async () => {
    // A window of 0: the server may send this client headers, never a byte of an answer.
    const stalled = connect(`https://127.0.0.1:${harness.server.mainPort}`, {
      ca: harness.ca,
      settings: { initialWindowSize: 0 },
    });
    stalled.on('error', () => {});
    const statuses: Promise<number>[] = [];
    const streams: ClientHttp2Stream[] = [];
    for (let index = 0; index < 40; index += 1) {
      const stream = stalled.request({ ':method': 'POST', ':path': ADMISSION_PATH, ...JSON_HEADERS });
      stream.on('error', () => {});
      statuses.push(new Promise((resolve) => stream.on('response', (h) => resolve(Number(h[':status'])))));
      stream.end(manyContainersReview(`stalled-${index}`));
      streams.push(stream);
    }
    const answered = await Promise.all(statuses);
    // About 16 KiB per answer: the first fit, the rest were refused.
    assert.ok(answered.includes(200) && answered.includes(503), `statuses ${answered.join(' ')}`);
    const held = await metric(IN_FLIGHT);
    assert.ok(held > BUDGET_BYTES / 2 && held <= BUDGET_BYTES, `held ${held}`);

    const client = await openClient('h2', harness.server.mainPort, harness.ca);
    try {
      const request = {
        method: 'POST',
        path: ADMISSION_PATH,
        headers: JSON_HEADERS,
        body: manyContainersReview('probe'),
      };
      const refused = await client.send(request);
      assert.equal(refused.status, 503);
      assert.equal((JSON.parse(refused.body) as { code: string }).code, ErrorCode.HTTP_BUSY);

      // The held answers are cut (the 503s are a few bytes, not held: they wait for the client).
      const cut = streams.filter((_, index) => answered[index] === 200);
      const closed = cut.map((stream) => new Promise<void>((resolve) => stream.once('close', resolve)));
      await waitFor(async () => (await metric(IN_FLIGHT)) === 0, 'the unread answers to be cut', 15_000);
      await Promise.all(closed);
      assert.equal((await client.send(request)).status, 200);
    } finally {
      client.close();
      stalled.destroy();
    }
  });
});

/** A java pod of 20 containers: its answer (the patch of every container's env) is about 16 KiB. */
function manyContainersReview(uid: string): string {
  const containers = Array.from({ length: 20 }, (_, index) => ({
    name: `app-${index}`,
    image: 'registry.example/app:1',
  }));
  return JSON.stringify(
    buildReview(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'many',
          namespace: 'default',
          annotations: { 'admission.datakit/java-lib.version': '' },
        },
        spec: { containers },
      },
      { uid },
    ),
  );
}
