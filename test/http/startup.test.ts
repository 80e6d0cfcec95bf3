import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type StartServerOptions } from '../../src/server/serve.ts';
import { captureLogs } from './log-capture.ts';
import { LOOPBACK, startTestServer } from './support.ts';

async function tryStart(overrides: Partial<StartServerOptions>) {
  const dir = await mkdtemp(join(tmpdir(), 'dko-startup-'));
  const { destination, lines } = captureLogs();
  const result = await startServer({
    env: {},
    mainListen: { host: LOOPBACK, port: 0 },
    healthListen: { host: LOOPBACK, port: 0 },
    caOutPath: join(dir, 'ca.crt'),
    logDestination: destination,
    ...overrides,
  });
  if (result.ok) await result.value.close();
  await rm(dir, { recursive: true, force: true });
  return { result, lines };
}

describe('start-up', () => {
  it('runs the embedded default without Kubernetes access, and says so', async () => {
    const { result, lines } = await tryStart({ env: {} });
    assert.ok(result.ok);
    assert.equal(result.value.tlsMode, 'ephemeral');
    const started = lines.find((line) => line.msg.startsWith('datakit-operator started'));
    assert.ok(started);
    assert.match(started.msg, /no Kubernetes access: running the embedded default/);
    assert.equal(started['configOrigin'], 'built-in defaults');
    assert.equal(started['tlsMode'], 'ephemeral');
    assert.ok(lines.some((line) => line.level === 'warn' && /EPHEMERAL/.test(line.msg)));
  });

  it('refuses a kubeconfig that cannot be loaded, naming the flag', async () => {
    const { result } = await tryStart({ env: { KUBECONFIG: '/nonexistent/kubeconfig' } });
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error.message, /--kubeconfig/);
  });

  it('logs each config warning at start', async () => {
    const { result, lines } = await tryStart({ env: { ENV_JSON_CONFIG: '{"colour":"blue"}' } });
    assert.ok(result.ok);
    assert.ok(lines.some((line) => line.level === 'warn' && /unknown key "colour"/.test(line.msg)));
  });

  it('refuses an invalid config with every problem', async () => {
    const { result } = await tryStart({
      env: { ENV_JSON_CONFIG: '{"log_level":"loud","health_listen":"nowhere"}' },
    });
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.error.code, 'DKO_ERR_CONFIG_INVALID');
      assert.equal(result.error.details.length, 2);
    }
  });

  it('refuses tls.mode self-managed', async () => {
    const { result } = await tryStart({ env: { ENV_JSON_CONFIG: '{"tls":{"mode":"self-managed"}}' } });
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.code, 'DKO_ERR_TLS');
  });

  it('reports a port that is already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, LOOPBACK, resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const { result } = await tryStart({ mainListen: { host: LOOPBACK, port } });
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error.message, /cannot listen: .*EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  it('can run two servers in one process', async () => {
    const first = await startTestServer();
    const second = await startTestServer();
    try {
      assert.notEqual(first.server.mainPort, second.server.mainPort);
    } finally {
      await Promise.all([first.dispose(), second.dispose()]);
    }
  });
});
