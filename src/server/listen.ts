// Binding a listener, and the socket settings, for both the main and the health server.

import type { AddressInfo, Server, Socket } from 'node:net';

/** Listens on host:port (port 0 picks a free one) and resolves with the bound address, or rejects. */
export function listenOn(server: Server, host: string | undefined, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * TCP_NODELAY on every accepted socket, from the TCP handshake on (so the TLS handshake gains too). With
 * Nagle's algorithm on, a reply written while an earlier segment waits for the peer's delayed ACK is held
 * for up to ~40 ms: the p99 signature of one HTTP/1.1 connection. node sets it for HTTP/2 sessions and for
 * `http.createServer`, but not for the HTTP/1.1 fallback of an HTTP/2 secure server; here it is explicit
 * for every listener. 'connection' carries the raw TCP socket, before any TLS.
 */
export function disableNagle(server: Server): void {
  server.on('connection', (socket: Socket) => socket.setNoDelay(true));
}
