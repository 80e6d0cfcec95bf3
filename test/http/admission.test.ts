import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants as http2Constants } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { applyPatch, buildReview, decodePatch } from '../support/admission.ts';
import type { Pod } from '../../src/podspec/types.ts';
import type { AdmissionReviewResponse } from '../../src/admission/types.ts';
import {
  ADMISSION_PATH,
  JSON_HEADERS,
  LOOPBACK,
  PROTOCOLS,
  injectableReview,
  metricValue,
  openClient,
  openH2Session,
  startTestServer,
  waitFor,
  type Client,
  type Protocol,
  type Reply,
  type RequestSpec,
  type TestServer,
} from './support.ts';
import { ErrorCode } from '../../src/errors/codes.ts';

const LIMIT = 3 * 1024 * 1024;

let harness: TestServer;
before(async () => {
  harness = await startTestServer();
});
after(() => harness.dispose());

async function scrape(): Promise<string> {
  const client = await openClient('http/1.1', harness.server.mainPort, harness.ca);
  return (await client.send({ method: 'GET', path: '/metrics' })).body;
}

function counter(text: string, series: string): number {
  return metricValue(text, series) ?? 0;
}

/** The server is still healthy: a real pod CREATE gets an allowed response with a patch. */
async function assertStillInjects(client: Client, uid: string): Promise<void> {
  const reply = await client.send({
    method: 'POST',
    path: ADMISSION_PATH,
    headers: JSON_HEADERS,
    body: injectableReview(uid),
  });
  assert.equal(reply.status, 200, reply.body);
  const review = JSON.parse(reply.body) as AdmissionReviewResponse;
  assert.equal(review.response.uid, uid);
  assert.equal(review.response.allowed, true);
  assert.equal(review.response.patchType, 'JSONPatch');
  assert.ok(decodePatch(review).length > 0);
}

interface BadRequestCase {
  readonly name: string;
  readonly spec: RequestSpec;
  readonly status: number;
  readonly error: RegExp;
  readonly code: ErrorCode;
  readonly metric: string;
}

function badRequests(): BadRequestCase[] {
  const oversize = Buffer.alloc(LIMIT + 1, 0x20);
  return [
    {
      name: 'malformed JSON',
      spec: { method: 'POST', path: ADMISSION_PATH, headers: JSON_HEADERS, body: '{"apiVersion": ' },
      status: 400,
      error: /not valid JSON/,
      code: ErrorCode.HTTP_JSON_MALFORMED,
      metric: 'bad_request',
    },
    {
      name: 'a JSON body that is not an AdmissionReview',
      spec: {
        method: 'POST',
        path: ADMISSION_PATH,
        headers: JSON_HEADERS,
        body: '{"kind":"Pod","apiVersion":"v1"}',
      },
      status: 400,
      error: /not an AdmissionReview: kind is "Pod"/,
      code: ErrorCode.REVIEW_INVALID,
      metric: 'bad_request',
    },
    {
      name: 'a body nested deeper than the API server ever sends (checked before parsing)',
      spec: {
        method: 'POST',
        path: ADMISSION_PATH,
        headers: JSON_HEADERS,
        body: `{"kind":"AdmissionReview","x":${'['.repeat(500_000)}${']'.repeat(500_000)}}`,
      },
      status: 400,
      error: /nests more than 10000 levels deep/,
      code: ErrorCode.HTTP_JSON_TOO_DEEP,
      metric: 'bad_request',
    },
    {
      name: 'a JSON array',
      spec: { method: 'POST', path: ADMISSION_PATH, headers: JSON_HEADERS, body: '[]' },
      status: 400,
      error: /not an AdmissionReview/,
      code: ErrorCode.REVIEW_INVALID,
      metric: 'bad_request',
    },
    {
      name: 'a text/plain content type',
      spec: {
        method: 'POST',
        path: ADMISSION_PATH,
        headers: { 'content-type': 'text/plain' },
        body: injectableReview(),
      },
      status: 415,
      error: /Content-Type must be application\/json, got "text\/plain"/,
      code: ErrorCode.HTTP_CONTENT_TYPE,
      metric: 'unsupported_media_type',
    },
    {
      name: 'no content type',
      spec: { method: 'POST', path: ADMISSION_PATH, body: injectableReview() },
      status: 415,
      error: /got none/,
      code: ErrorCode.HTTP_CONTENT_TYPE,
      metric: 'unsupported_media_type',
    },
    {
      name: 'a body of 3 MiB + 1 with Content-Length',
      spec: {
        method: 'POST',
        path: ADMISSION_PATH,
        headers: { ...JSON_HEADERS, 'content-length': String(oversize.length) },
        body: oversize,
      },
      status: 413,
      error: /larger than 3145728 bytes/,
      code: ErrorCode.HTTP_BODY_TOO_LARGE,
      metric: 'too_large',
    },
    {
      name: 'a body of 3 MiB + 1 without Content-Length',
      spec: { method: 'POST', path: ADMISSION_PATH, headers: JSON_HEADERS, body: oversize },
      status: 413,
      error: /larger than 3145728 bytes/,
      code: ErrorCode.HTTP_BODY_TOO_LARGE,
      metric: 'too_large',
    },
  ];
}

for (const protocol of PROTOCOLS) {
  describe(`admission over ${protocol}`, () => {
    let client: Client;
    before(async () => {
      client = await openClient(protocol, harness.server.mainPort, harness.ca);
    });
    after(() => client.close());

    it('injects into a pod CREATE that asks for it', async () => {
      await assertStillInjects(client, `${protocol}-first`);
    });

    it('answers a patch of several hundred KiB whole (written from its base64 slices)', async () => {
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'many',
          namespace: 'default',
          annotations: { 'admission.datakit/java-lib.version': '' },
        },
        spec: {
          // The per-pod limit of containers to instrument (SPEC §15): about 240 KB of base64.
          containers: Array.from({ length: 128 }, (_, index) => ({
            name: `app-${index}`,
            image: 'registry.example/app:1',
            env: [{ name: 'GREETING', value: 'grüß dich 🚀' }],
          })),
        },
      };
      const reply = await client.send({
        method: 'POST',
        path: ADMISSION_PATH,
        headers: JSON_HEADERS,
        body: JSON.stringify(buildReview(pod, { uid: 'many' })),
      });
      assert.equal(reply.status, 200);
      const review = JSON.parse(reply.body) as AdmissionReviewResponse;
      assert.equal(review.response.uid, 'many');
      // Several 64 Ki-character slices of base64.
      assert.ok((review.response.patch?.length ?? 0) > 3 * 65_536, `${review.response.patch?.length}`);
      const patched = applyPatch(pod, decodePatch(review));
      assert.equal(patched.spec?.containers?.length, 128);
      for (const container of patched.spec?.containers ?? []) {
        assert.ok((container.volumeMounts ?? []).length > 0, `${container.name} has the agent's mount`);
        assert.equal(container.env?.[0]?.value, 'grüß dich 🚀');
      }
    });

    it('accepts a charset parameter on the JSON content type', async () => {
      const reply = await client.send({
        method: 'POST',
        path: ADMISSION_PATH,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: injectableReview('charset'),
      });
      assert.equal(reply.status, 200);
    });

    it('accepts a body of exactly 3 MiB', async () => {
      const review = injectableReview('exact');
      const body = review + ' '.repeat(LIMIT - Buffer.byteLength(review));
      const reply = await client.send({ method: 'POST', path: ADMISSION_PATH, headers: JSON_HEADERS, body });
      assert.equal(reply.status, 200);
      assert.equal((JSON.parse(reply.body) as AdmissionReviewResponse).response.uid, 'exact');
    });

    for (const [index, bad] of badRequests().entries()) {
      it(`refuses ${bad.name} with ${bad.status}, counts it, and keeps serving`, async () => {
        const before = counter(
          await scrape(),
          `datakit_operator_admission_requests_total{result="${bad.metric}"}`,
        );
        const reply = await sendTolerant(protocol, client, bad.spec);
        assert.equal(reply.status, bad.status);
        assert.match(reply.body, /^\{"error":"[^\n]*","code":"DKO_ERR_[A-Z_]+"\}$/);
        assert.match(JSON.parse(reply.body).error, bad.error);
        assert.equal(JSON.parse(reply.body).code, bad.code);
        const afterText = await scrape();
        assert.equal(
          counter(afterText, `datakit_operator_admission_requests_total{result="${bad.metric}"}`),
          before + 1,
        );
        await assertStillInjects(client, `${protocol}-after-${index}`);
      });
    }
  });
}

/**
 * HTTP/1.1 closes the connection after a 413 while the client may still be writing: the response has
 * arrived, so a later EPIPE/ECONNRESET on the request is not a failure.
 */
function sendTolerant(protocol: Protocol, client: Client, spec: RequestSpec): Promise<Reply> {
  if (protocol === 'h2') return client.send(spec);
  return new Promise((resolve, reject) => {
    let replied = false;
    const request = httpsRequest(
      {
        host: LOOPBACK,
        port: harness.server.mainPort,
        ca: harness.ca,
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          replied = true;
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          });
        });
      },
    );
    request.on('error', (error) => {
      if (!replied) reject(error);
    });
    request.end(spec.body);
  });
}

describe('aborted requests', () => {
  it('survives an HTTP/1.1 client that disconnects in the middle of the body', async () => {
    await new Promise<void>((resolve) => {
      const request = httpsRequest({
        host: LOOPBACK,
        port: harness.server.mainPort,
        ca: harness.ca,
        method: 'POST',
        path: ADMISSION_PATH,
        headers: { ...JSON_HEADERS, 'content-length': '100000' },
      });
      request.on('error', () => resolve());
      request.write('{"apiVersion":"admission.k8s.io/v1",', () => setTimeout(() => request.destroy(), 50));
      request.on('close', () => resolve());
    });
    const client = await openClient('http/1.1', harness.server.mainPort, harness.ca);
    await assertStillInjects(client, 'after-h1-abort');
  });

  it('survives an h2 stream reset in the middle of the body, on the same session', async () => {
    const session = await openH2Session(harness.server.mainPort, harness.ca);
    try {
      const stream = session.request({ ':method': 'POST', ':path': ADMISSION_PATH, ...JSON_HEADERS });
      stream.on('error', () => {});
      stream.write('{"apiVersion":"admission.k8s.io/v1",');
      await new Promise((resolve) => setTimeout(resolve, 50));
      stream.close(http2Constants.NGHTTP2_CANCEL);
      await waitFor(() => stream.closed, 'the reset stream to close');
      const client: Client = {
        send: (spec) =>
          new Promise((resolve, reject) => {
            const next = session.request({ ':method': spec.method, ':path': spec.path, ...spec.headers });
            const chunks: Buffer[] = [];
            let status = 0;
            next.on('response', (headers) => (status = Number(headers[':status'])));
            next.on('data', (chunk: Buffer) => chunks.push(chunk));
            next.on('end', () => resolve({ status, headers: {}, body: Buffer.concat(chunks).toString() }));
            next.on('error', reject);
            next.end(spec.body);
          }),
        close: () => {},
      };
      await assertStillInjects(client, 'after-h2-reset');
    } finally {
      session.close();
    }
  });

  it('survives a TLS client that sends garbage instead of a handshake', async () => {
    const { connect } = await import('node:net');
    await new Promise<void>((resolve) => {
      const socket = connect(harness.server.mainPort, LOOPBACK, () => socket.end('GET / HTTP/1.1\r\n\r\n'));
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.resume();
    });
    const client = await openClient('h2', harness.server.mainPort, harness.ca);
    try {
      await assertStillInjects(client, 'after-garbage');
    } finally {
      client.close();
    }
  });
});

describe('admission metrics', () => {
  it('counts mutated requests, injections by feature and reason, and observes the duration', async () => {
    const series = {
      mutated: 'datakit_operator_admission_requests_total{result="mutated"}',
      ignored: 'datakit_operator_admission_requests_total{result="ignored"}',
      injected: 'datakit_operator_injections_total{feature="ddtrace",outcome="injected",reason="annotation"}',
      durations: 'datakit_operator_admission_duration_seconds_count',
    };
    const before = await scrape();
    const client = await openClient('h2', harness.server.mainPort, harness.ca);
    try {
      await assertStillInjects(client, 'metrics-1');
      await assertStillInjects(client, 'metrics-2');
      const deleteReview = JSON.parse(injectableReview('metrics-delete'));
      deleteReview.request.operation = 'DELETE';
      const reply = await client.send({
        method: 'POST',
        path: ADMISSION_PATH,
        headers: JSON_HEADERS,
        body: JSON.stringify(deleteReview),
      });
      assert.equal(reply.status, 200);
      assert.equal((JSON.parse(reply.body) as AdmissionReviewResponse).response.patch, undefined);
    } finally {
      client.close();
    }
    const afterText = await scrape();
    assert.equal(counter(afterText, series.mutated), counter(before, series.mutated) + 2);
    assert.equal(counter(afterText, series.ignored), counter(before, series.ignored) + 1);
    assert.equal(counter(afterText, series.injected), counter(before, series.injected) + 2);
    assert.equal(counter(afterText, series.durations), counter(before, series.durations) + 3);
  });

  it('logs one line per admission with uid, namespace, pod, result and features, and no body', async () => {
    const client = await openClient('http/1.1', harness.server.mainPort, harness.ca);
    await assertStillInjects(client, 'logged-uid');
    const line = harness.logs.find((entry) => entry['uid'] === 'logged-uid');
    assert.ok(line, 'no log line for the request');
    assert.equal(line.level, 'info');
    assert.equal(line['namespace'], 'default');
    assert.equal(line['pod'], 'app');
    assert.equal(line['result'], 'mutated');
    assert.deepEqual(line['injected'], ['ddtrace']);
    assert.equal(typeof line['durationMs'], 'number');
    assert.ok(!JSON.stringify(harness.logs).includes('registry.example/app:1'), 'the pod body was logged');
  });
});
