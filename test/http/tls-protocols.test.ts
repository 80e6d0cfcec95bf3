// The main listener's TLS floor (SPEC §1: TLS ≥ 1.2) and its ALPN offer (h2 first, then HTTP/1.1,
// because the kube-apiserver talks HTTP/2 to webhooks when offered).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectionOptions } from 'node:tls';
import { LOOPBACK, startTestServer, type TestServer } from './support.ts';

let harness: TestServer;
before(async () => {
  harness = await startTestServer();
});
after(() => harness.dispose());

interface Handshake {
  readonly protocol: string | null;
  readonly alpn: string | false | null;
}

function handshake(options: ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: LOOPBACK,
      port: harness.server.mainPort,
      ca: harness.ca,
      servername: 'localhost',
      ...options,
    });
    socket.once('secureConnect', () => {
      const result = { protocol: socket.getProtocol(), alpn: socket.alpnProtocol };
      socket.end();
      resolve(result);
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

describe('TLS on the main listener', () => {
  it('refuses a client that offers at most TLS 1.1', async () => {
    // SECLEVEL=0 lets this client offer TLS 1.1 at all: the refusal must come from the server.
    await assert.rejects(
      handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
      (error: Error) => /protocol|version/i.test(error.message),
    );
  });

  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`accepts ${version}`, async () => {
      const result = await handshake({ minVersion: version, maxVersion: version });
      assert.equal(result.protocol, version);
    });
  }

  it('picks h2 when the client offers h2 and HTTP/1.1', async () => {
    assert.equal((await handshake({ ALPNProtocols: ['h2', 'http/1.1'] })).alpn, 'h2');
  });

  it('falls back to HTTP/1.1 for a client that offers only HTTP/1.1', async () => {
    assert.equal((await handshake({ ALPNProtocols: ['http/1.1'] })).alpn, 'http/1.1');
  });
});
