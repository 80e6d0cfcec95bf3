// The HTTP baseline: a TLS server (HTTP/2 with HTTP/1.1 fallback, like the operator's main listener)
// that reads the body, parses it, and answers a fixed allowed review echoing the uid. Anything the
// operator costs beyond this is the cost of deciding.
//
// Self-contained on purpose (no imports but node's): the bench transpiles it to plain JavaScript and
// runs it with plain `node`, so that no TypeScript loader inflates the baseline's start-up or RSS.
//
// usage: node do-nothing-server.mjs PORT CERT_FILE KEY_FILE   (tells its parent over IPC when listening)

import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';

function uidOf(body: unknown): string {
  const request = (body as { request?: { uid?: unknown } } | null)?.request;
  return typeof request?.uid === 'string' ? request.uid : '';
}

function main(): void {
  const [port, certFile, keyFile] = process.argv.slice(2);
  if (port === undefined || certFile === undefined || keyFile === undefined) {
    throw new Error('usage: do-nothing-server.mjs PORT CERT_FILE KEY_FILE');
  }
  const server = createSecureServer({
    allowHTTP1: true,
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
  });
  server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let uid: string;
      try {
        uid = uidOf(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end('bad json\n');
        return;
      }
      const answer = JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid, allowed: true },
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(answer);
    });
  });
  server.listen(Number(port), '127.0.0.1', () => {
    process.send?.('listening');
    // The IPC channel must not keep the server alive once the parent is gone, nor hold it open itself.
    process.channel?.unref();
  });
  // Nothing to drain: the bench stops this server only between runs.
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
}

main();
