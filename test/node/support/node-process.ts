// The node (test/kube-node/supervisor): started once per run, it brings up the harness control plane with
// --node-ip, containerd, the kubelet, kube-scheduler and kube-proxy, and writes DIR/node.json when the node
// is Ready. Stopping it (SIGTERM) removes everything it created on the machine.

import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitForReadyLine } from '../../e2e/support/ready-line.ts';
import { hasExited, LineTail, stopChild, trackChild } from '../../e2e/support/child-processes.ts';

const READY_LINE = 'READY';
const READY_FILE = 'node.json';
/** The harness's /readyz (up to ~2 min on 2 busy cores), image import, the kubelet's registration. */
const READY_TIMEOUT_MS = 8 * 60_000;
/** The supervisor's own clean-up waits for each part; it kills what does not stop. */
const STOP_GRACE_MS = 3 * 60_000;
/** The supervisor's exit code when another node holds the machine (supervisor/up.go). */
export const EXIT_NODE_RUNNING = 3;

export interface NodeReady {
  readonly kubeconfig: string;
  readonly server: string;
  readonly caFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly nodeName: string;
  readonly nodeIP: string;
  readonly podCIDR: string;
  readonly images: readonly string[];
  readonly logFile: string;
}

export interface RunningNode {
  readonly ready: NodeReady;
  readonly startSeconds: number;
  stop(): Promise<void>;
}

export interface NodeBinaries {
  readonly supervisor: string;
  readonly components: string;
  readonly harness: string;
  readonly imagesDir: string;
}

export function supervisorArgs(binaries: NodeBinaries, dir: string): string[] {
  return [
    'up',
    '--dir',
    dir,
    '--harness',
    binaries.harness,
    '--components',
    binaries.components,
    '--images',
    binaries.imagesDir,
  ];
}

export async function startNode(binaries: NodeBinaries, dir: string): Promise<RunningNode> {
  const started = performance.now();
  const child = spawn(binaries.supervisor, supervisorArgs(binaries, dir), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  const tail = new LineTail(60);
  createInterface({ input: child.stderr }).on('line', (line) => {
    tail.push(line);
    process.stderr.write(`${line}\n`);
  });
  const stop = (): Promise<void> => stopChild(child, STOP_GRACE_MS);
  try {
    await waitForReadyLine(child, READY_LINE, READY_TIMEOUT_MS, 'node');
    const ready = JSON.parse(await readFile(join(dir, READY_FILE), 'utf8')) as NodeReady;
    if (hasExited(child)) throw new Error('the node exited right after it was ready');
    return { ready, startSeconds: (performance.now() - started) / 1000, stop };
  } catch (error) {
    await stop();
    throw new Error(
      `${(error as Error).message}; its last lines:\n${tail.text()}\n(all parts: ${join(dir, 'node.log')})`,
      {
        cause: error,
      },
    );
  }
}
