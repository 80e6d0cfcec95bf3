// The two servers under load, as child processes pinned to the server core: the operator as built
// (`node dist/main.js serve`) and the do-nothing baseline (plain node). Both listen on free loopback ports.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, BUILT_MAIN, REPO_ROOT } from '../paths.ts';
import { getHealth } from './client.ts';
import { pinned, SERVER_CORE } from './pinning.ts';
import { freePort } from './ports.ts';
import type { TlsFiles } from './tls-cert.ts';
import ts from 'typescript';

const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 20;
/** SIGTERM first (the operator drains), SIGKILL if it has not exited by then. */
const STOP_GRACE_MS = 5_000;

export interface ServerProcess {
  readonly label: string;
  readonly pid: number;
  readonly port: number;
  /** The operator's plain-HTTP health listener (not on the do-nothing server). */
  readonly healthPort: number | undefined;
  alive(): boolean;
  stop(): Promise<void>;
  /** SIGKILL: a server blocked in a synchronous call never runs its SIGTERM handler. */
  kill(): Promise<void>;
}

/** The environment without anything that would make the operator look for a cluster or another config. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(ENV_|KUBERNETES_|KUBECONFIG$|POD_NAMESPACE$)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

function handle(
  label: string,
  child: ChildProcess,
  port: number,
  healthPort: number | undefined,
): ServerProcess {
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
  });
  return {
    label,
    pid: child.pid as number,
    port,
    healthPort,
    alive: () => !exited,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(timer);
    },
    async kill() {
      if (exited) return;
      child.kill('SIGKILL');
      await exit;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface SpawnedOperator {
  readonly server: ServerProcess;
  readonly logFile: string;
}

/**
 * Starts `node dist/main.js serve --config FILE` with the document plus loopback listen addresses and
 * (unless `tlsMode` is omitted, the embedded default's `auto`) the ephemeral certificate. Returns at once.
 */
export async function spawnOperator(
  workDir: string,
  name: string,
  document: Record<string, unknown>,
  tlsMode: 'ephemeral' | undefined = 'ephemeral',
): Promise<SpawnedOperator> {
  const port = await freePort();
  const healthPort = await freePort();
  const configFile = join(workDir, `${name}.config.json`);
  const full = {
    ...document,
    server_listen: `127.0.0.1:${port}`,
    health_listen: `127.0.0.1:${healthPort}`,
    ...(tlsMode ? { tls: { mode: tlsMode } } : {}),
  };
  writeFileSync(configFile, JSON.stringify(full, null, 2));
  const logFile = join(workDir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const args = [BUILT_MAIN, 'serve', '--config', configFile, '--ca-out', join(workDir, `${name}.ca.crt`)];
  const [command, argv] = pinned(SERVER_CORE, process.execPath, args);
  const child = spawn(command, argv, { cwd: REPO_ROOT, env: offlineEnv(), stdio: ['ignore', log, log] });
  return { server: handle('ours', child, port, healthPort), logFile };
}

/** Waits for /readyz on the health port; throws (naming the log) if the operator exits or never gets ready. */
export async function waitReady(spawned: SpawnedOperator): Promise<ServerProcess> {
  const { server } = spawned;
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (!server.alive()) throw new Error(`the operator exited during start-up; see ${spawned.logFile}`);
    const status = await getHealth(server.healthPort as number, '/readyz').catch(() => 0);
    if (status === 200) return server;
    await sleep(READY_POLL_MS);
  }
  await server.stop();
  throw new Error(`the operator was not ready within ${READY_TIMEOUT_MS} ms; see ${spawned.logFile}`);
}

export async function startOperator(
  workDir: string,
  name: string,
  document: Record<string, unknown>,
): Promise<ServerProcess> {
  return waitReady(await spawnOperator(workDir, name, document));
}

/** The do-nothing server as plain JavaScript in the work directory (see do-nothing-server.ts). */
function transpileDoNothing(workDir: string): string {
  const source = readFileSync(join(BENCH_DIR, 'http', 'do-nothing-server.ts'), 'utf8');
  const output = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const script = join(workDir, 'do-nothing-server.mjs');
  writeFileSync(script, output.outputText);
  return script;
}

export interface SpawnedDoNothing {
  readonly server: ServerProcess;
  /** Resolves when the server says it listens; rejects if it exits first. */
  readonly listening: Promise<void>;
}

/** Starts the do-nothing server (plain node, pinned like the operator). Returns at once. */
export async function spawnDoNothing(workDir: string, tls: TlsFiles): Promise<SpawnedDoNothing> {
  const port = await freePort();
  const certFile = join(workDir, 'do-nothing.crt');
  const keyFile = join(workDir, 'do-nothing.key');
  writeFileSync(certFile, tls.certPem);
  writeFileSync(keyFile, tls.keyPem);
  const script = existsSync(join(workDir, 'do-nothing-server.mjs'))
    ? join(workDir, 'do-nothing-server.mjs')
    : transpileDoNothing(workDir);
  const [command, argv] = pinned(SERVER_CORE, process.execPath, [script, String(port), certFile, keyFile]);
  const child = spawn(command, argv, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const listening = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the do-nothing server exited (${code})`)));
  });
  // Start-up measurements may never await it.
  listening.catch(() => undefined);
  return { server: handle('do-nothing', child, port, undefined), listening };
}

export async function startDoNothing(workDir: string, tls: TlsFiles): Promise<ServerProcess> {
  const spawned = await spawnDoNothing(workDir, tls);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the do-nothing server did not start')), READY_TIMEOUT_MS);
  });
  try {
    await Promise.race([spawned.listening, timeout]);
  } catch (error) {
    await spawned.server.kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return spawned.server;
}
