// The real-cluster harness (test/kube-harness: embedded etcd + kube-apiserver + kube-controller-manager,
// built from Kubernetes' Go modules): built by scripts/kube-harness-build.sh (cached; a cold build takes
// many minutes), started with `harness serve --dir DIR`, which writes DIR/ready.json and prints READY.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitForReadyLine } from './ready-line.ts';
import { hasExited, LineTail, stopChild, trackChild } from './child-processes.ts';

const BUILD_SCRIPT = 'scripts/kube-harness-build.sh';
/** etcd, then kube-apiserver's /readyz (up to ~2 min on 2 busy cores), then the controller manager. */
const READY_TIMEOUT_MS = 300_000;
const STOP_GRACE_MS = 60_000;
const READY_LINE = 'READY';
const READY_FILE = 'ready.json';

export interface HarnessBuild {
  readonly binary: string;
  readonly seconds: number;
}

export interface ReadyFile {
  readonly kubeconfig: string;
  readonly server: string;
  readonly caFile: string;
  readonly pid: number;
}

export interface RunningHarness {
  readonly ready: ReadyFile;
  readonly startSeconds: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Runs the build script (a no-op when the cached binary is current); its progress goes to our stderr. */
export function buildHarness(root: string): Promise<HarnessBuild> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const build = spawn('bash', [join(root, BUILD_SCRIPT)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(build);
    const stdout: string[] = [];
    const stderr = new LineTail(40);
    build.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    createInterface({ input: build.stderr }).on('line', (line) => {
      stderr.push(line);
      process.stderr.write(`${line}\n`);
    });
    build.on('error', reject);
    build.on('close', (code) => {
      const binary = stdout.join('').trim().split('\n').at(-1)?.trim() ?? '';
      if (code !== 0 || binary === '') {
        reject(new Error(`${BUILD_SCRIPT} failed (exit ${code}); its last output:\n${stderr.text()}`));
        return;
      }
      resolve({ binary, seconds: (performance.now() - started) / 1000 });
    });
  });
}

export async function startHarness(binary: string, dir: string): Promise<RunningHarness> {
  const started = performance.now();
  const logFile = join(dir, 'harness.log');
  const child = spawn(binary, ['serve', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const tail = new LineTail(60);
  const log = createWriteStream(logFile);
  createInterface({ input: child.stderr }).on('line', (line) => {
    tail.push(line);
    log.write(`${line}\n`);
  });
  const stop = async (): Promise<void> => {
    await stopChild(child, STOP_GRACE_MS);
    log.end();
  };

  try {
    await waitForReadyLine(child, READY_LINE, READY_TIMEOUT_MS, 'harness');
    const ready = JSON.parse(await readFile(join(dir, READY_FILE), 'utf8')) as ReadyFile;
    if (hasExited(child)) throw new Error('the harness exited right after it was ready');
    return { ready, startSeconds: (performance.now() - started) / 1000, logFile, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; last lines of ${logFile}:\n${tail.text()}`, {
      cause: error,
    });
  }
}
