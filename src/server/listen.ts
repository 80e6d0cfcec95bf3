// Binding a listener, for both the main and the health server.

import type { AddressInfo, Server } from 'node:net';

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
