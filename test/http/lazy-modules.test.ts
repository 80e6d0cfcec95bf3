// The embedded default (no cluster, no kubeconfig) must not load @kubernetes/client-node (about a second
// and ~70 MB) nor node-forge: they are imported only when Kubernetes access or an RSA certificate is used.
// A child process records every module URL the ESM loader resolves (a module.register hook) and reads
// the CommonJS cache, starts the real server, and reports both.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVE = new URL('../../src/app/serve.ts', import.meta.url).href;
const KUBE_CLIENT = new URL('../../src/kube/client.ts', import.meta.url).href;

/** Runs in the loader-hooks thread: passes every resolved URL to the main thread, in order. */
const HOOK = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

const CHILD = `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const resolved = [];
let waiting;
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => {
  resolved.push(url);
  if (waiting && url === waiting.url) waiting.done();
});
port1.unref();
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}), {
  data: { port: port2 },
  transferList: [port2],
});
let marks = 0;
/** Messages arrive in order: once a fresh marker module's URL is in, every earlier resolution is too. */
async function settle() {
  const url = 'data:text/javascript,export default ' + ++marks;
  const arrived = new Promise((done) => (waiting = { url, done }));
  await import(url);
  await arrived;
}
function loaded() {
  const cjs = Object.keys(createRequire(import.meta.url).cache);
  return [...resolved, ...cjs].filter((entry) => /@kubernetes[\\\\/]client-node|node-forge/.test(entry));
}

const { startServer } = await import(${JSON.stringify(SERVE)});
const started = await startServer({
  // Cert paths pinned under the test's temp dir: a certificate at the default path must not matter.
  env: { ENV_JSON_CONFIG: process.env.PINNED_CONFIG },
  mainListen: { host: '127.0.0.1', port: 0 },
  healthListen: { host: '127.0.0.1', port: 0 },
  caOutPath: process.env.CA_OUT,
  logDestination: { write() {} },
});
if (!started.ok) throw new Error(started.error.message);
const report = { tlsMode: started.value.tlsMode, embedded: [], afterKubeImport: [] };
await started.value.close();
await settle();
report.embedded = loaded();
// The control: the same detection does see the client once something imports it.
await import(${JSON.stringify(KUBE_CLIENT)});
await settle();
report.afterKubeImport = loaded();
process.stdout.write(JSON.stringify(report));
`;

interface Report {
  readonly tlsMode: string;
  readonly embedded: readonly string[];
  readonly afterKubeImport: readonly string[];
}

describe('start-up cost of the embedded default', () => {
  it('loads neither @kubernetes/client-node nor node-forge', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dko-lazy-'));
    try {
      const pinned = { tls: { cert_file: join(dir, 'absent.crt'), key_file: join(dir, 'absent.key') } };
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CA_OUT: join(dir, 'ca.crt'),
        PINNED_CONFIG: JSON.stringify(pinned),
      };
      delete env['KUBECONFIG'];
      delete env['KUBERNETES_SERVICE_HOST'];
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', CHILD],
        { cwd: ROOT, env },
      );
      const report = JSON.parse(stdout) as Report;
      assert.equal(report.tlsMode, 'ephemeral');
      assert.deepEqual(report.embedded, []);
      assert.ok(
        report.afterKubeImport.some((entry) => entry.includes('@kubernetes/client-node')),
        `the detection must see the client once it is imported: ${JSON.stringify(report.afterKubeImport)}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
