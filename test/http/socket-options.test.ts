// Every socket the listeners accept has TCP_NODELAY: with Nagle's algorithm on, a reply can wait for the
// peer's delayed ACK (~40 ms, the p99 signature of one HTTP/1.1 connection). Observed by wrapping
// net.Socket#setNoDelay in this process and matching the server side of each connection by its local port.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import {
  ADMISSION_PATH,
  JSON_HEADERS,
  h1Request,
  healthRequest,
  injectableReview,
  openH2Session,
  h2Request,
  startTestServer,
  type TestServer,
} from './support.ts';

interface NoDelayCall {
  readonly localPort: number | undefined;
  readonly remotePort: number | undefined;
  readonly enable: boolean;
}

const calls: NoDelayCall[] = [];
const originalSetNoDelay = Socket.prototype.setNoDelay;

/** The server-side sockets of `port` that got setNoDelay(true), one entry per client port. */
function noDelayClients(port: number): Set<number | undefined> {
  return new Set(
    calls.filter((call) => call.localPort === port && call.enable).map((call) => call.remotePort),
  );
}

describe('accepted sockets have TCP_NODELAY', () => {
  let test: TestServer;

  before(async () => {
    Socket.prototype.setNoDelay = function (this: Socket, enable?: boolean) {
      calls.push({ localPort: this.localPort, remotePort: this.remotePort, enable: enable ?? true });
      return originalSetNoDelay.call(this, enable);
    };
    test = await startTestServer();
  });
  after(async () => {
    Socket.prototype.setNoDelay = originalSetNoDelay;
    await test.dispose();
  });

  it('on the main listener over HTTP/1.1, one per connection', async () => {
    const before = noDelayClients(test.server.mainPort).size;
    for (let i = 0; i < 2; i++) {
      const reply = await h1Request(test.server.mainPort, test.ca, {
        method: 'POST',
        path: ADMISSION_PATH,
        headers: JSON_HEADERS,
        body: injectableReview(),
      });
      assert.equal(reply.status, 200);
    }
    assert.equal(noDelayClients(test.server.mainPort).size, before + 2);
  });

  it('on the main listener over HTTP/2', async () => {
    const before = noDelayClients(test.server.mainPort).size;
    const session = await openH2Session(test.server.mainPort, test.ca);
    try {
      const reply = await h2Request(session, { method: 'GET', path: '/ping' });
      assert.equal(reply.status, 200);
    } finally {
      session.close();
    }
    assert.equal(noDelayClients(test.server.mainPort).size, before + 1);
  });

  it('on the plain health listener', async () => {
    const before = noDelayClients(test.server.healthPort).size;
    const reply = await healthRequest(test.server.healthPort, 'GET', '/healthz');
    assert.equal(reply.status, 200);
    assert.equal(noDelayClients(test.server.healthPort).size, before + 1);
  });
});
