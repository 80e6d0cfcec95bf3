// SPEC §15 at the HTTP tier: a client that drips its request, floods stream resets, lies about its
// framing or sends oversized headers or bodies is answered (408/400/431/413) or cut, is counted, and
// never keeps anyone else from being served. The timeouts are shortened for the test; the defaults are
// pinned in a separate case.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants as http2Constants, type ClientHttp2Session } from 'node:http2';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from '../../src/server/connection-limits.ts';
import {
  ADMISSION_PATH,
  admissionStatus,
  JSON_HEADERS,
  LOOPBACK,
  h2Request,
  injectableReview,
  metricValue,
  openClient,
  openH2Session,
  startTestServer,
  type TestServer,
} from './support.ts';
import { ErrorCode } from '../../src/errors/codes.ts';

const LIMITS: ConnectionLimits = {
  headersTimeoutMs: 1_000,
  requestTimeoutMs: 1_500,
  checkIntervalMs: 200,
  maxConcurrentStreams: DEFAULT_CONNECTION_LIMITS.maxConcurrentStreams,
  maxClientResets: 20,
  clientResetWindowMs: 10_000,
  idleTimeoutMs: 3_000,
  maxBufferedBytes: DEFAULT_CONNECTION_LIMITS.maxBufferedBytes,
};
/** A liveness bound, not a speed assertion: a cut that has not happened by then never will. */
const GIVE_UP_MS = 15_000;

let harness: TestServer;
before(async () => {
  harness = await startTestServer({ connectionLimits: LIMITS });
});
after(() => harness.dispose());

async function clientErrors(reason: string): Promise<number> {
  const client = await openClient('http/1.1', harness.server.mainPort, harness.ca);
  const text = (await client.send({ method: 'GET', path: '/metrics' })).body;
  return metricValue(text, `datakit_operator_http_client_errors_total{reason="${reason}"}`) ?? 0;
}

/** Admission still works for a well-behaved client while a hostile one is connected. */
async function assertOthersServed(): Promise<void> {
  const client = await openClient('h2', harness.server.mainPort, harness.ca);
  try {
    const reply = await client.send({
      method: 'POST',
      path: ADMISSION_PATH,
      headers: JSON_HEADERS,
      body: injectableReview('bystander'),
    });
    assert.equal(reply.status, 200);
  } finally {
    client.close();
  }
}

interface RawExchange {
  readonly socket: TLSSocket;
  /** Everything the server sent until it closed the connection. */
  readonly received: Promise<Buffer>;
}

/** A raw connection over TLS, so that the test can send what no well-behaved client would. */
function rawTls(protocol: 'http/1.1' | 'h2'): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: LOOPBACK,
      port: harness.server.mainPort,
      ca: harness.ca,
      servername: 'localhost',
      ALPNProtocols: [protocol],
    });
    const chunks: Buffer[] = [];
    const received = new Promise<Buffer>((done, fail) => {
      const giveUp = setTimeout(() => {
        socket.destroy();
        fail(new Error('the server never closed the connection'));
      }, GIVE_UP_MS);
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('close', () => {
        clearTimeout(giveUp);
        done(Buffer.concat(chunks));
      });
    });
    socket.on('error', () => {});
    socket.once('secureConnect', () => resolve({ socket, received }));
    socket.once('error', reject);
  });
}

/** Writes `text` a few bytes at a time until the socket closes or the text is sent. */
async function drip(socket: TLSSocket, text: string, everyMs: number): Promise<void> {
  for (let index = 0; index < text.length && !socket.destroyed && socket.writable; index += 4) {
    socket.write(text.slice(index, index + 4));
    await sleep(everyMs);
  }
}

function statusLine(response: string): string {
  return response.split('\r\n')[0] ?? '';
}

function jsonBody(response: string): { error?: string; code?: string } {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { error?: string };
}

describe('slow HTTP/1.1 clients', () => {
  const body = injectableReview('slow');
  const cases = [
    {
      name: 'headers dripped',
      atOnce: '',
      dripped: `POST ${ADMISSION_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Padding: ${'p'.repeat(400)}\r\n`,
    },
    {
      name: 'body dripped',
      atOnce: `POST ${ADMISSION_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      dripped: body,
    },
  ];
  for (const { name, atOnce, dripped } of cases) {
    it(`answers 408 and closes the connection: ${name}`, async () => {
      const before = await clientErrors('request_timeout');
      const { socket, received } = await rawTls('http/1.1');
      if (atOnce !== '') socket.write(atOnce);
      const dripping = drip(socket, dripped, 50);
      await assertOthersServed();
      const response = (await received).toString('utf8');
      await dripping;
      assert.equal(statusLine(response), 'HTTP/1.1 408 Request Timeout');
      assert.match(jsonBody(response).error ?? '', /did not arrive in time/);
      assert.equal(jsonBody(response).code, ErrorCode.HTTP_TIMEOUT);
      assert.equal(await clientErrors('request_timeout'), before + 1);
    });
  }
});

describe('malformed HTTP/1.1 framing', () => {
  const review = injectableReview('framing');
  const length = Buffer.byteLength(review);
  const cases = [
    {
      name: 'Content-Length and Transfer-Encoding together',
      headers: `Content-Length: ${length}\r\nTransfer-Encoding: chunked\r\n`,
      status: 'HTTP/1.1 400 Bad Request',
      code: ErrorCode.HTTP_FRAMING,
    },
    {
      name: 'two different Content-Lengths',
      headers: `Content-Length: ${length}\r\nContent-Length: ${length + 1}\r\n`,
      status: 'HTTP/1.1 400 Bad Request',
      code: ErrorCode.HTTP_FRAMING,
    },
    {
      name: 'a negative Content-Length',
      headers: 'Content-Length: -1\r\n',
      status: 'HTTP/1.1 400 Bad Request',
      code: ErrorCode.HTTP_FRAMING,
    },
    {
      name: 'a 100 KiB header',
      headers: `Content-Length: ${length}\r\nX-Big: ${'b'.repeat(100 * 1024)}\r\n`,
      status: 'HTTP/1.1 431 Request Header Fields Too Large',
      code: ErrorCode.HTTP_HEADERS_TOO_LARGE,
    },
  ];
  for (const { name, headers, status, code } of cases) {
    it(`answers ${status.slice(9)} with a reason, then closes: ${name}`, async () => {
      const reason = status.includes('431') ? 'headers_too_large' : 'bad_request';
      const before = await clientErrors(reason);
      const { socket, received } = await rawTls('http/1.1');
      socket.write(
        `POST ${ADMISSION_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}\r\n${review}`,
      );
      const response = (await received).toString('utf8');
      assert.equal(statusLine(response), status);
      assert.ok(jsonBody(response).error, 'the answer says why');
      assert.equal(jsonBody(response).code, code);
      assert.equal(await clientErrors(reason), before + 1);
      await assertOthersServed();
    });
  }
});

const H2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const FRAME_DATA = 0x0;
const FRAME_HEADERS = 0x1;
const FRAME_RST_STREAM = 0x3;
const FRAME_SETTINGS = 0x4;
const FRAME_GOAWAY = 0x7;
const FLAG_END_HEADERS = 0x4;

/** One HTTP/2 frame header (RFC 9113 §4.1): 24-bit length, type, flags, 31-bit stream id. */
function frameHeader(length: number, type: number, flags: number, streamId: number): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(length, 0, 3);
  header.writeUInt8(type, 3);
  header.writeUInt8(flags, 4);
  header.writeUInt32BE(streamId, 5);
  return header;
}

/** A header block of valid HPACK: :method POST, :scheme https, :path /, then literal `x-pad-N: v`. */
function headerBlock(literals: number): Buffer {
  const parts = [Buffer.from([0x83, 0x87, 0x84])];
  for (let index = 0; index < literals; index += 1) {
    const name = Buffer.from(`x-pad-${index}`);
    parts.push(Buffer.from([0x00, name.length]), name, Buffer.from([1, 0x76]));
  }
  return Buffer.concat(parts);
}

/** HPACK literal (not indexed) of the static table's header `nameIndex` (< 15) with a short value. */
function literalWithIndexedName(nameIndex: number, value: string): Buffer {
  return Buffer.concat([Buffer.from([nameIndex, value.length]), Buffer.from(value)]);
}

/**
 * POST https://localhost ADMISSION_PATH with Content-Type: application/json (static table 31, a
 * two-byte index). nghttp2 refuses a request with neither :authority nor Host.
 */
function admissionHeaderBlock(): Buffer {
  const contentType = Buffer.from('application/json');
  return Buffer.concat([
    Buffer.from([0x83, 0x87]),
    literalWithIndexedName(1, 'localhost'),
    literalWithIndexedName(4, ADMISSION_PATH),
    Buffer.from([0x0f, 31 - 15, contentType.length]),
    contentType,
  ]);
}

/** The error codes of the GOAWAY frames in what an HTTP/2 server sent. */
function goawayCodes(received: Buffer): number[] {
  const codes: number[] = [];
  for (let offset = 0; offset + 9 <= received.length; offset += 9 + received.readUIntBE(offset, 3)) {
    if (received.readUInt8(offset + 3) === FRAME_GOAWAY) codes.push(received.readUInt32BE(offset + 9 + 4));
  }
  return codes;
}

/** The types of the frames in what an HTTP/2 server sent. */
function frameTypes(received: Buffer): number[] {
  const types: number[] = [];
  for (let offset = 0; offset + 9 <= received.length; offset += 9 + received.readUIntBE(offset, 3)) {
    types.push(received.readUInt8(offset + 3));
  }
  return types;
}

describe('hostile HTTP/2 clients', () => {
  let session: ClientHttp2Session;
  before(async () => {
    session = await openH2Session(harness.server.mainPort, harness.ca);
  });
  after(() => session.close());

  it(`advertises at most ${DEFAULT_CONNECTION_LIMITS.maxConcurrentStreams} concurrent streams`, async () => {
    const fresh = await openH2Session(harness.server.mainPort, harness.ca);
    try {
      // Until the server's SETTINGS frame arrives the client assumes the protocol's defaults.
      await new Promise((resolve) => {
        fresh.once('remoteSettings', resolve);
        setTimeout(resolve, 2_000).unref();
      });
      assert.equal(fresh.remoteSettings.maxConcurrentStreams, DEFAULT_CONNECTION_LIMITS.maxConcurrentStreams);
    } finally {
      fresh.close();
    }
  });

  it('answers 408 to a stream whose body never ends, and the session keeps serving', async () => {
    const before = await clientErrors('request_timeout');
    const stream = session.request({ ':method': 'POST', ':path': ADMISSION_PATH, ...JSON_HEADERS });
    stream.write('{"apiVersion":');
    const status = await new Promise<number>((resolve, reject) => {
      const giveUp = setTimeout(() => reject(new Error('no answer to the stalled stream')), GIVE_UP_MS);
      stream.on('response', (headers) => {
        clearTimeout(giveUp);
        resolve(Number(headers[':status']));
      });
      stream.on('error', () => {});
    });
    stream.resume();
    assert.equal(status, 408);
    assert.equal(await clientErrors('request_timeout'), before + 1);
    assert.equal(await admissionStatus(session, 'after-stall'), 200);
  });

  it('answers 413 to a 20 MiB upload without Content-Length, and the session keeps serving', async () => {
    const stream = session.request({ ':method': 'POST', ':path': ADMISSION_PATH, ...JSON_HEADERS });
    const status = new Promise<number>((resolve, reject) => {
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
      stream.on('error', reject);
    });
    stream.on('error', () => {});
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    for (let sent = 0; sent < 20 && !stream.destroyed; sent += 1) {
      if (!stream.write(chunk)) await Promise.race([new Promise((r) => stream.once('drain', r)), status]);
    }
    if (!stream.destroyed) stream.end();
    assert.equal(await status, 413);
    stream.resume();
    assert.equal(await admissionStatus(session, 'after-upload'), 200);
  });

  it('closes a session that drips one header block and never completes a request; others are served', async () => {
    const before = await clientErrors('request_timeout');
    const { socket, received } = await rawTls('h2');
    const block = headerBlock(400);
    // HEADERS without END_HEADERS: node hears of no stream until the block is complete, and it never is.
    socket.write(Buffer.concat([Buffer.from(H2_PREFACE), frameHeader(0, FRAME_SETTINGS, 0, 0)]));
    socket.write(frameHeader(block.length, FRAME_HEADERS, 0, 1));
    const dripping = (async () => {
      for (let index = 0; index < block.length && !socket.destroyed && socket.writable; index += 1) {
        socket.write(block.subarray(index, index + 1));
        await sleep(50);
      }
    })();
    await assertOthersServed();
    const sent = await received;
    await dripping;
    assert.ok(frameTypes(sent).includes(FRAME_GOAWAY), 'no GOAWAY before the close');
    assert.equal(await clientErrors('request_timeout'), before + 1);
  });

  it('closes a session with no open stream after the idle timeout, with GOAWAY(NO_ERROR)', async () => {
    const idle = await openH2Session(harness.server.mainPort, harness.ca);
    idle.on('error', () => {});
    const goaway = new Promise<number>((resolve) => idle.once('goaway', (code: number) => resolve(code)));
    const reply = await h2Request(idle, {
      method: 'POST',
      path: ADMISSION_PATH,
      headers: JSON_HEADERS,
      body: injectableReview('before-idle'),
    });
    assert.equal(reply.status, 200);
    const code = await Promise.race([goaway, sleep(GIVE_UP_MS).then(() => -1)]);
    idle.destroy();
    assert.equal(code, http2Constants.NGHTTP2_NO_ERROR);
  });

  it('sends GOAWAY(ENHANCE_YOUR_CALM) to a session that resets streams in a flood; others are served', async () => {
    const before = await clientErrors('rapid_reset');
    const { socket, received } = await rawTls('h2');
    socket.write(Buffer.concat([Buffer.from(H2_PREFACE), frameHeader(0, FRAME_SETTINGS, 0, 0)]));
    // Each stream: a complete header block, the first byte of a body, then RST_STREAM(CANCEL) before the
    // body ends, as the "rapid reset" attack does (a node client's close() would end the body first).
    const block = admissionHeaderBlock();
    for (let index = 0; index < LIMITS.maxClientResets * 5 && socket.writable; index += 1) {
      const streamId = 2 * index + 1;
      const cancel = Buffer.alloc(4);
      cancel.writeUInt32BE(http2Constants.NGHTTP2_CANCEL);
      socket.write(
        Buffer.concat([
          frameHeader(block.length, FRAME_HEADERS, FLAG_END_HEADERS, streamId),
          block,
          frameHeader(1, FRAME_DATA, 0, streamId),
          Buffer.from('{'),
          frameHeader(cancel.length, FRAME_RST_STREAM, 0, streamId),
          cancel,
        ]),
      );
      if (index % 10 === 9) await sleep(5);
    }
    const sent = await received;
    // The session's close() that follows sends a GOAWAY(NO_ERROR) of its own: the first one is the cut.
    assert.equal(goawayCodes(sent)[0], http2Constants.NGHTTP2_ENHANCE_YOUR_CALM);
    assert.equal(await clientErrors('rapid_reset'), before + 1);
    await assertOthersServed();
  });

  it('does not count a stream it answered before the client reset it', async () => {
    const before = await clientErrors('rapid_reset');
    const client = await openH2Session(harness.server.mainPort, harness.ca);
    client.on('error', () => {});
    for (let index = 0; index < LIMITS.maxClientResets * 2; index += 1) {
      const reply = await h2Request(client, {
        method: 'POST',
        path: ADMISSION_PATH,
        headers: JSON_HEADERS,
        body: injectableReview(`answered-${index}`),
      });
      assert.equal(reply.status, 200);
    }
    assert.equal(client.closed, false);
    client.destroy();
    assert.equal(await clientErrors('rapid_reset'), before);
  });
});

describe('default connection limits', () => {
  it('are the documented ones', () => {
    assert.deepEqual(DEFAULT_CONNECTION_LIMITS, {
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      checkIntervalMs: 1_000,
      maxConcurrentStreams: 128,
      maxClientResets: 100,
      clientResetWindowMs: 10_000,
      idleTimeoutMs: 120_000,
      maxBufferedBytes: 32 * 1024 * 1024,
    });
  });
});
