import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { buildCertificateAuthority, issueServingCertificate } from '../../src/certs/ephemeral.ts';
import { BUILT_IN_DEFAULTS_ORIGIN } from '../../src/config/load.ts';
import type { KubernetesAccess } from '../../src/kube/kubernetes-access.ts';
import { startMessage, startServer, type StartServerOptions } from '../../src/app/serve.ts';
import { captureLogs } from './log-capture.ts';
import { LOOPBACK, startTestServer } from './support.ts';
import { detailsOf } from '../../src/errors/problem.ts';

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
  it('falls back to an ephemeral certificate when tls.mode auto finds no cert files, and says so', async () => {
    // Cert paths pinned under a temp dir: a certificate at the default path on this machine must not
    // change the result.
    const absent = await mkdtemp(join(tmpdir(), 'dko-no-certs-'));
    const tls = { cert_file: join(absent, 'tls.crt'), key_file: join(absent, 'tls.key') };
    const { result, lines } = await tryStart({ env: { ENV_JSON_CONFIG: JSON.stringify({ tls }) } });
    await rm(absent, { recursive: true, force: true });
    assert.ok(result.ok);
    assert.equal(result.value.tlsMode, 'ephemeral');
    const started = lines.find((line) => line.msg.startsWith('datakit-operator started'));
    assert.ok(started);
    assert.match(started.msg, /no Kubernetes access: running the config from ENV_JSON_CONFIG/);
    assert.equal(started['configOrigin'], 'ENV_JSON_CONFIG');
    assert.equal(started['tlsMode'], 'ephemeral');
    assert.ok(lines.some((line) => line.level === 'warn' && /EPHEMERAL/.test(line.msg)));
    assert.ok(lines.some((line) => /trust the CA written to/.test(line.msg)));
  });

  it('serves the cert files that tls.mode auto finds, naming the file, subject and expiry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dko-certs-'));
    const now = new Date();
    const pair = issueServingCertificate(
      buildCertificateAuthority(now, 'startup test CA'),
      ['localhost'],
      now,
    );
    const tls = { cert_file: join(dir, 'tls.crt'), key_file: join(dir, 'tls.key') };
    await writeFile(tls.cert_file, pair.cert);
    await writeFile(tls.key_file, pair.key);
    const { result, lines } = await tryStart({ env: { ENV_JSON_CONFIG: JSON.stringify({ tls }) } });
    await rm(dir, { recursive: true, force: true });
    assert.ok(result.ok);
    assert.equal(result.value.tlsMode, 'files');
    const serving = lines.find((line) => line.msg.startsWith('serving the certificate from'));
    assert.ok(serving, 'no log line names the served certificate');
    assert.equal(serving['certFile'], tls.cert_file);
    assert.equal(serving['subject'], new X509Certificate(pair.cert).subject.replaceAll('\n', ', '));
    assert.equal(serving['notAfter'], new X509Certificate(pair.cert).validTo);
  });

  const startMessages = [
    { access: { kind: 'none' }, origin: BUILT_IN_DEFAULTS_ORIGIN, message: /running the embedded default$/ },
    {
      access: { kind: 'none' },
      origin: '/etc/operator/config.json',
      message: /the config from \/etc\/operator/,
    },
    { access: { kind: 'in-cluster' }, origin: BUILT_IN_DEFAULTS_ORIGIN, message: /running in a cluster/ },
    {
      access: { kind: 'kubeconfig', file: '/k' },
      origin: 'ENV_JSON_CONFIG',
      message: /through kubeconfig \/k/,
    },
  ] as const;
  for (const { access, origin, message } of startMessages) {
    it(`says how it runs: ${access.kind}, config from ${origin}`, () => {
      assert.match(startMessage(access as KubernetesAccess, origin), message);
    });
  }

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
      assert.equal(detailsOf(result.error).length, 2);
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
