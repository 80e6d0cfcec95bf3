import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsConfig, TlsMode } from '../config/types.ts';
import { buildLogger } from '../server/logger.ts';
import { captureLogs } from '../../test/http/log-capture.ts';
import { buildCertificateAuthority, issueServingCertificate } from './ephemeral.ts';
import { openTlsSource, resolveTlsMode, type ServedTlsMode } from './tls-source.ts';

describe('resolveTlsMode', () => {
  const cases: readonly [TlsMode, boolean, boolean, ServedTlsMode][] = [
    ['auto', true, true, 'files'],
    ['auto', true, false, 'files'],
    ['auto', false, true, 'self-managed'],
    ['auto', false, false, 'ephemeral'],
    ['files', true, false, 'files'],
    ['files', false, true, 'files'],
    ['self-managed', true, true, 'self-managed'],
    ['self-managed', false, true, 'self-managed'],
    ['ephemeral', true, true, 'ephemeral'],
    ['ephemeral', false, false, 'ephemeral'],
  ];
  for (const [mode, filesExist, access, expected] of cases) {
    const situation = `the cert files ${filesExist ? 'exist' : 'are missing'} and there is ${access ? '' : 'no '}Kubernetes access`;
    it(`serves ${expected} for tls.mode ${mode} when ${situation}`, () => {
      assert.deepEqual(resolveTlsMode(mode, filesExist, access), { ok: true, value: expected });
    });
  }

  it('refuses self-managed without Kubernetes access, naming how to get it and the alternatives', () => {
    const result = resolveTlsMode('self-managed', false, false);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.error.code, 'DKO_ERR_TLS');
      assert.match(result.error.message, /tls\.mode "self-managed" needs Kubernetes access/);
      assert.match(result.error.message, /--kubeconfig/);
      assert.match(result.error.message, /"files"/);
    }
  });
});

describe('openTlsSource', () => {
  function tlsConfig(mode: TlsMode, dir: string): TlsConfig {
    return {
      mode,
      cert_file: join(dir, 'tls.crt'),
      key_file: join(dir, 'tls.key'),
      secret_name: 'datakit-operator-tls',
      service_name: 'datakit-operator',
      webhook_config_name: 'datakit-operator-mutation',
    };
  }

  it('uses the files when auto finds both of them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dko-tls-'));
    try {
      const ca = buildCertificateAuthority(new Date());
      const pair = issueServingCertificate(ca, ['localhost'], new Date());
      await writeFile(join(dir, 'tls.crt'), pair.cert);
      await writeFile(join(dir, 'tls.key'), pair.key);
      const { destination } = captureLogs();
      const opened = await openTlsSource(tlsConfig('auto', dir), {
        logger: buildLogger({ level: 'info', destination }),
        caOutPath: join(dir, 'ca.crt'),
      });
      assert.ok(opened.ok);
      assert.equal(opened.value.mode, 'files');
      assert.deepEqual(opened.value.source.current(), pair);
      opened.value.source.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('falls back to an ephemeral certificate under auto and warns that it does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dko-tls-'));
    try {
      const { destination, lines } = captureLogs();
      const opened = await openTlsSource(tlsConfig('auto', dir), {
        logger: buildLogger({ level: 'info', destination }),
        caOutPath: join(dir, 'out', 'ca.crt'),
      });
      assert.ok(opened.ok);
      assert.equal(opened.value.mode, 'ephemeral');
      assert.equal(opened.value.caPath, join(dir, 'out', 'ca.crt'));
      assert.ok(lines.some((line) => line.level === 'warn' && /EPHEMERAL/.test(line.msg)));
      assert.ok(lines.some((line) => line.msg.includes(join(dir, 'out', 'ca.crt'))));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails at start in files mode when the files are missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dko-tls-'));
    try {
      const { destination } = captureLogs();
      const opened = await openTlsSource(tlsConfig('files', dir), {
        logger: buildLogger({ level: 'info', destination }),
        caOutPath: join(dir, 'ca.crt'),
      });
      assert.equal(opened.ok, false);
      if (!opened.ok) assert.match(opened.error.message, /cannot read tls\.cert_file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
