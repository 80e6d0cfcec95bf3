import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, rename, symlink, mkdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildLogger } from '../server/logger.ts';
import { captureLogs } from '../../test/http/log-capture.ts';
import { buildCertificateAuthority, issueServingCertificate } from './ephemeral.ts';
import { readTlsFiles, watchTlsFiles } from './files.ts';
import type { TlsMaterial } from './tls-material.ts';

const ca = buildCertificateAuthority(new Date());
const first = issueServingCertificate(ca, ['localhost'], new Date());
const second = issueServingCertificate(ca, ['localhost'], new Date());

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dko-files-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writePair(dir: string, pair: TlsMaterial): Promise<{ certFile: string; keyFile: string }> {
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  await writeFile(certFile, pair.cert);
  await writeFile(keyFile, pair.key);
  return { certFile, keyFile };
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('readTlsFiles', () => {
  it('returns the pair when the key belongs to the certificate', async () => {
    await withDir(async (dir) => {
      const files = await writePair(dir, first);
      assert.deepEqual(readTlsFiles(files), { ok: true, value: first });
    });
  });

  const broken: readonly [string, (dir: string) => Promise<{ certFile: string; keyFile: string }>, RegExp][] =
    [
      [
        'a missing file',
        async (dir) => ({ certFile: join(dir, 'nope.crt'), keyFile: join(dir, 'nope.key') }),
        /cannot read/,
      ],
      [
        'a key from another pair',
        (dir) => writePair(dir, { cert: first.cert, key: second.key }),
        /do not form a usable pair/,
      ],
      [
        'a certificate that is not PEM',
        (dir) => writePair(dir, { cert: 'garbage', key: first.key }),
        /do not form a usable pair/,
      ],
    ];
  for (const [name, setup, message] of broken) {
    it(`refuses ${name} with a DKO_ERR_TLS error`, async () => {
      await withDir(async (dir) => {
        const result = readTlsFiles(await setup(dir));
        assert.equal(result.ok, false);
        if (!result.ok) {
          assert.equal(result.error.code, 'DKO_ERR_TLS');
          assert.match(result.error.message, message);
        }
      });
    });
  }
});

describe('watchTlsFiles', () => {
  it('picks up a rewritten pair and tells its listeners', async () => {
    await withDir(async (dir) => {
      const files = await writePair(dir, first);
      const { destination } = captureLogs();
      const source = watchTlsFiles(files, {
        logger: buildLogger({ level: 'info', destination }),
        debounceMs: 20,
      });
      assert.ok(source.ok);
      const seen: TlsMaterial[] = [];
      source.value.onChange((material) => seen.push(material));
      try {
        assert.deepEqual(source.value.current(), first);
        await writePair(dir, second);
        await waitFor(() => seen.length > 0, 'the reload');
        assert.deepEqual(source.value.current(), second);
        assert.deepEqual(seen.at(-1), second);
      } finally {
        source.value.close();
      }
    });
  });

  it('keeps the previous pair and logs an error when the new files do not load', async () => {
    await withDir(async (dir) => {
      const files = await writePair(dir, first);
      const { destination, lines } = captureLogs();
      const source = watchTlsFiles(files, {
        logger: buildLogger({ level: 'info', destination }),
        debounceMs: 20,
      });
      assert.ok(source.ok);
      try {
        await writeFile(files.certFile, second.cert);
        await waitFor(() => lines.some((line) => line.level === 'error'), 'the error log');
        assert.deepEqual(source.value.current(), first);
        assert.match(
          String(lines.find((line) => line.level === 'error')?.msg),
          /keeping the previous certificate/,
        );
      } finally {
        source.value.close();
      }
    });
  });

  it('follows a Kubernetes-style ..data symlink swap', async () => {
    await withDir(async (dir) => {
      const v1 = join(dir, '..v1');
      const v2 = join(dir, '..v2');
      await mkdir(v1);
      await mkdir(v2);
      await writePair(v1, first);
      await writePair(v2, second);
      await symlink('..v1', join(dir, '..data'));
      await symlink(join('..data', 'tls.crt'), join(dir, 'tls.crt'));
      await symlink(join('..data', 'tls.key'), join(dir, 'tls.key'));
      const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
      const { destination } = captureLogs();
      const source = watchTlsFiles(files, {
        logger: buildLogger({ level: 'info', destination }),
        debounceMs: 20,
      });
      assert.ok(source.ok);
      try {
        await symlink('..v2', join(dir, '..data_tmp'));
        await rename(join(dir, '..data_tmp'), join(dir, '..data'));
        await waitFor(() => source.value.current().cert === second.cert, 'the swap');
      } finally {
        source.value.close();
      }
    });
  });

  it('notices a change through polling alone', async () => {
    await withDir(async (dir) => {
      const watched = join(dir, 'watched');
      const real = join(dir, 'real');
      await mkdir(watched);
      await mkdir(real);
      await writePair(real, first);
      // The files are reached through a symlinked directory that is replaced wholesale: a directory
      // watch on it sees nothing, only the content poll can notice.
      await symlink(real, join(watched, 'current'));
      const files = {
        certFile: join(watched, 'current', 'tls.crt'),
        keyFile: join(watched, 'current', 'tls.key'),
      };
      const { destination } = captureLogs();
      const source = watchTlsFiles(files, {
        logger: buildLogger({ level: 'info', destination }),
        debounceMs: 10,
        pollMs: 50,
      });
      assert.ok(source.ok);
      try {
        const replacement = join(dir, 'replacement');
        await mkdir(replacement);
        await writePair(replacement, second);
        await unlink(join(watched, 'current'));
        await symlink(replacement, join(watched, 'current'));
        await waitFor(() => source.value.current().cert === second.cert, 'the polled change');
      } finally {
        source.value.close();
      }
    });
  });

  it('refuses to start on files that do not load', async () => {
    await withDir(async (dir) => {
      const files = await writePair(dir, { cert: first.cert, key: second.key });
      const { destination } = captureLogs();
      const source = watchTlsFiles(files, { logger: buildLogger({ level: 'info', destination }) });
      assert.equal(source.ok, false);
    });
  });

  it('stops telling listeners after close', async () => {
    await withDir(async (dir) => {
      const files = await writePair(dir, first);
      const { destination } = captureLogs();
      const source = watchTlsFiles(files, {
        logger: buildLogger({ level: 'info', destination }),
        debounceMs: 10,
        pollMs: 30,
      });
      assert.ok(source.ok);
      let calls = 0;
      source.value.onChange(() => calls++);
      source.value.close();
      await writePair(dir, second);
      await sleep(200);
      assert.equal(calls, 0);
      assert.deepEqual(source.value.current(), first);
    });
  });
});
