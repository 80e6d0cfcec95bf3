// The container image without docker: the Dockerfile's final stage is read, the same layout is assembled
// in a temp dir (package.json + the committed lockfile, `npm ci --omit=dev` from the local npm cache, the
// compiled dist/), and started with the image's own ENTRYPOINT and CMD: `version`, then `serve` until
// /readyz answers 200, then SIGTERM and a clean exit.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('../..', import.meta.url).pathname;
const STEP_TIMEOUT_MS = 10 * 60 * 1000;

interface FinalStage {
  readonly instructions: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly user: string;
}

function readFinalStage(dockerfile: string): FinalStage {
  const lines = dockerfile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const lastFrom = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  const instructions = lines.slice(lastFrom);
  const jsonArgument = (keyword: string): string[] => {
    const line = instructions.find((candidate) => candidate.startsWith(`${keyword} `));
    assert.ok(line, `the final stage has a ${keyword}`);
    return JSON.parse(line.slice(keyword.length + 1)) as string[];
  };
  const user = instructions.find((line) => line.startsWith('USER '))?.slice('USER '.length) ?? 'root';
  return { instructions, entrypoint: jsonArgument('ENTRYPOINT'), cmd: jsonArgument('CMD'), user };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const request = httpGet({ host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
  });
}

describe('the runtime image layout', () => {
  let dir: string;
  let stage: FinalStage;
  let dockerfile: string;
  const version = (
    JSON.parse(
      execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { version: string }
  ).version;

  before(async () => {
    dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    stage = readFinalStage(dockerfile);
    dir = await mkdtemp(join(tmpdir(), 'dko-image-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is a node:20-slim stage with production dependencies, the build output, a non-root user', () => {
    const text = stage.instructions.join('\n');
    assert.match(stage.instructions[0] ?? '', /^FROM \$\{NODE_IMAGE\} AS runtime$/);
    assert.match(dockerfile, /^ARG NODE_IMAGE=node:20-slim$/m);
    assert.match(text, /^COPY package\.json package-lock\.json \.\/$/m);
    assert.match(text, /^RUN npm ci --omit=dev\b/m);
    assert.match(text, /^COPY --from=build \/build\/dist \.\/dist$/m);
    assert.doesNotMatch(
      text,
      /^COPY (?!package\.json|--from=build)/m,
      'nothing else (no key, no source) is copied',
    );
    assert.notEqual(stage.user.split(':')[0], 'root');
    assert.notEqual(stage.user.split(':')[0], '0');
    assert.deepEqual(stage.entrypoint, ['node', 'dist/main.js']);
    assert.deepEqual(stage.cmd, ['serve']);
  });

  it(
    'assembles: npm ci --omit=dev from the committed lockfile, plus the compiled dist/',
    { timeout: STEP_TIMEOUT_MS },
    async () => {
      await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'));
      await copyFile(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
      execFileSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: STEP_TIMEOUT_MS,
      });
      execFileSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/typescript/bin/tsc'),
          '-p',
          'tsconfig.build.json',
          '--outDir',
          join(dir, 'dist'),
        ],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: STEP_TIMEOUT_MS,
        },
      );
      assert.ok((await stat(join(dir, 'dist/main.js'))).isFile());
      for (const devOnly of ['typescript', 'tsx', 'eslint', 'kubernetes-models']) {
        await assert.rejects(
          stat(join(dir, 'node_modules', devOnly)),
          `${devOnly} is a dev dependency and must not be installed`,
        );
      }
      assert.ok((await stat(join(dir, 'node_modules/@kubernetes/client-node'))).isDirectory());
    },
  );

  it('prints its version with the image entrypoint', { timeout: 60_000 }, () => {
    const [command = '', ...args] = stage.entrypoint;
    const output = execFileSync(command, [...args, 'version'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] },
    });
    assert.match(output, new RegExp(`^datakit-operator ${version.replaceAll('.', '\\.')} \\(node v20\\.`));
  });

  it(
    'serves with the image command until /readyz is 200, and exits 0 on SIGTERM',
    { timeout: 120_000 },
    async () => {
      const [mainPort, healthPort] = [await freePort(), await freePort()];
      const [command = '', ...args] = stage.entrypoint;
      const child: ChildProcess = spawn(command, [...args, ...stage.cmd, '--ca-out', join(dir, 'ca.crt')], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env['PATH'],
          NODE_ENV: 'production',
          ENV_JSON_CONFIG: JSON.stringify({
            server_listen: `127.0.0.1:${mainPort}`,
            health_listen: `127.0.0.1:${healthPort}`,
            // Pinned: a certificate at the default path on this machine must not change the result.
            tls: { cert_file: join(dir, 'absent.crt'), key_file: join(dir, 'absent.key') },
          }),
        },
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const deadline = Date.now() + 60_000;
        while ((await httpStatus(healthPort, '/readyz')) !== 200) {
          if (Date.now() > deadline || child.exitCode !== null)
            assert.fail(`the operator never became ready:\n${output}`);
          await sleep(100);
        }
        assert.equal(await httpStatus(healthPort, '/healthz'), 200);
        child.kill('SIGTERM');
        assert.equal(await exited, 0, output);
        assert.match(output, /"tlsMode":"ephemeral"/);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  );
});
