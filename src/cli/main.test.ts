// The bin end to end: spawn `node --import tsx src/main.ts ...` and check output and exit codes.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const PACKAGE = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
/** A clean environment: no KUBECONFIG, ENV_* or cluster variables leak in from the caller. */
const BASE_ENV = { PATH: process.env['PATH'] ?? '' };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runBin(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { env: { ...BASE_ENV, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dko-cli-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('datakit-operator bin', { concurrency: 2 }, () => {
  it('prints the name, the package version and the node version for `version`', async () => {
    const run = await runBin(['version']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `datakit-operator ${PACKAGE.version} (node ${process.version})\n`);
  });

  it('prints the default config as JSON for `config default`', async () => {
    const run = await runBin(['config', 'default']);
    assert.equal(run.code, 0);
    const config = JSON.parse(run.stdout) as { server_listen: string; health_listen: string };
    assert.equal(config.server_listen, '0.0.0.0:9543');
    assert.equal(config.health_listen, '0.0.0.0:9544');
  });

  it('accepts what `config default` prints in `config validate`', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'default.json');
      await writeFile(file, (await runBin(['config', 'default'])).stdout);
      const run = await runBin(['config', 'validate', file]);
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `${file}: valid\n`);
      assert.equal(run.stderr, '');
    });
  });

  it("prints upstream 1.8.10's v2 config for `config default --v2`, which validates with its shadowed rules named", async () => {
    await withDir(async (dir) => {
      const printed = await runBin(['config', 'default', '--v2']);
      assert.equal(printed.code, 0);
      const document = JSON.parse(printed.stdout) as { admission_inject_v2: { ddtraces: unknown[] } };
      assert.equal(document.admission_inject_v2.ddtraces.length, 4);
      const file = join(dir, 'v2.json');
      await writeFile(file, printed.stdout);
      const run = await runBin(['config', 'validate', file]);
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `${file}: valid\n`);
      for (const index of [1, 2, 3]) {
        assert.match(
          run.stderr,
          new RegExp(
            `warning: admission_inject_v2\\.ddtraces\\[${index}\\]: can never be chosen: the earlier rule admission_inject_v2\\.ddtraces\\[0\\]`,
          ),
        );
      }
    });
  });

  it('reports a valid file with warnings, exit 0', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'config.json');
      await writeFile(file, JSON.stringify({ log_level: 'debug', colour: 'blue' }));
      const run = await runBin(['config', 'validate', file]);
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `${file}: valid\n`);
      assert.match(run.stderr, /warning: unknown key "colour" is ignored/);
    });
  });

  it('reports every problem of an invalid file, exit 1', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'config.json');
      await writeFile(
        file,
        JSON.stringify({
          log_level: 'loud',
          admission_inject: { ddtrace: { images: { java_agent_image: 'Not An Image' } } },
        }),
      );
      const run = await runBin(['config', 'validate', file]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /invalid configuration in .*config\.json \(2 problems\)/);
      assert.match(run.stderr, /^ {2}- log_level: "loud" is not one of/m);
      assert.match(run.stderr, /^ {2}- admission_inject\.ddtrace\.images\.java_agent_image: "Not An Image"/m);
    });
  });

  it('fails a file with entries the operator would start without, naming each, exit 1', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'config.json');
      await writeFile(
        file,
        JSON.stringify({
          admission_inject: { ddtrace: { enabled_namespaces: [{ namespace: 'team-(', language: 'java' }] } },
        }),
      );
      const run = await runBin(['config', 'validate', file]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.match(
        run.stderr,
        /error: admission_inject\.ddtrace\.enabled_namespaces\[0\]\.namespace: namespace pattern "team-\(" is not a valid regular expression .*; this entry is ignored/,
      );
      assert.match(run.stderr, /not valid: 1 entry is ignored; the operator starts without them/);
    });
  });

  it('fails a file with warnings under --strict, exit 1', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'config.json');
      await writeFile(file, JSON.stringify({ colour: 'blue' }));
      const run = await runBin(['config', 'validate', '--strict', file]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /warning: unknown key "colour" is ignored/);
      assert.match(run.stderr, /--strict: 1 warning\(s\)/);
    });
  });

  it('reports a JSON syntax error with line and column, exit 1', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'config.json');
      await writeFile(file, '{\n  "log_level": ,\n}');
      const run = await runBin(['config', 'validate', file]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /config\.json:2:\d+:/);
    });
  });

  it('reports a missing file by its path, exit 1', async () => {
    const run = await runBin(['config', 'validate', '/nonexistent/config.json']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /\/nonexistent\/config\.json/);
  });

  const usageErrors: readonly [string[], RegExp][] = [
    [['bogus'], /unknown command "bogus"/],
    [['serve', '--nope'], /Unknown option '--nope'/],
    [['config', 'validate'], /config validate needs FILE/],
  ];
  for (const [argv, message] of usageErrors) {
    it(`prints usage on stderr and exits 2 for ${JSON.stringify(argv)}`, async () => {
      const run = await runBin(argv);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Usage: datakit-operator/);
    });
  }

  it('prints usage on stdout and exits 0 for --help', async () => {
    const run = await runBin(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: datakit-operator <command>/);
  });

  it('refuses to serve an invalid config, printing each problem, exit 1', async () => {
    const run = await runBin(['serve'], { ENV_JSON_CONFIG: JSON.stringify({ log_level: 'loud' }) });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /ENV_JSON_CONFIG/);
    assert.match(run.stderr, /- log_level: "loud"/);
  });

  it('refuses to serve with tls.mode self-managed and no Kubernetes access, exit 1', async () => {
    const run = await runBin(['serve'], {
      ENV_JSON_CONFIG: JSON.stringify({ tls: { mode: 'self-managed' } }),
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /tls\.mode "self-managed"/);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('datakit-operator serve', () => {
  it('starts without a cluster on an ephemeral certificate, writes the CA, says so, and exits 0 on SIGTERM', async () => {
    await withDir(async (dir) => {
      const [mainPort, healthPort] = [await freePort(), await freePort()];
      const caOut = join(dir, 'ca.crt');
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--ca-out', caOut], {
        env: {
          ...BASE_ENV,
          ENV_JSON_CONFIG: JSON.stringify({
            server_listen: `127.0.0.1:${mainPort}`,
            health_listen: `127.0.0.1:${healthPort}`,
            // Pinned: a certificate at the default path on this machine must not change the result.
            tls: { cert_file: join(dir, 'absent.crt'), key_file: join(dir, 'absent.key') },
          }),
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const deadline = Date.now() + 120_000;
        while (!stdout.includes('datakit-operator started') || !stderr.includes('trust the CA')) {
          if (Date.now() > deadline) assert.fail(`the server did not start:\n${stdout}\n${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const started = stdout.split('\n').find((line) => line.includes('datakit-operator started')) ?? '';
        assert.match(started, /no Kubernetes access: running the config from ENV_JSON_CONFIG/);
        assert.match(started, /"tlsMode":"ephemeral"/);
        assert.match(stderr, new RegExp(`trust the CA at ${caOut.replace(/[.]/g, '\\.')}`));
        assert.ok(existsSync(caOut));
        assert.equal(await getStatus(healthPort, '/readyz'), 200);

        child.kill('SIGTERM');
        assert.equal(await exited, 0);
        assert.match(stdout, /"msg":"shutdown complete"/);
      } finally {
        child.kill('SIGKILL');
      }
    });
  });

  it('under `npm start`, exits 0 on one Ctrl-C (SIGINT to the whole process group, as a terminal sends it)', async () => {
    await withDir(async (dir) => {
      const [mainPort, healthPort] = [await freePort(), await freePort()];
      const child = spawn('npm', ['start', '--silent', '--', '--ca-out', join(dir, 'ca.crt')], {
        cwd: new URL('../..', import.meta.url).pathname,
        // Its own process group, so that the test can signal it the way a terminal does.
        detached: true,
        env: {
          ...BASE_ENV,
          HOME: dir,
          ENV_JSON_CONFIG: JSON.stringify({
            server_listen: `127.0.0.1:${mainPort}`,
            health_listen: `127.0.0.1:${healthPort}`,
            tls: { mode: 'ephemeral' },
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const deadline = Date.now() + 120_000;
        while ((await getStatus(healthPort, '/readyz').catch(() => 0)) !== 200) {
          if (Date.now() > deadline || child.exitCode !== null) assert.fail(`never ready:\n${output}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        process.kill(-(child.pid as number), 'SIGINT');
        assert.equal(await exited, 0, output);
        assert.match(output, /"msg":"shutdown complete"/);
        assert.doesNotMatch(output, /second shutdown signal/);
      } finally {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    });
  });
});
