// Debian's h2load (nghttp2-client) as the load generator: request-count mode (-n), one thread, one
// stream per connection (-m 1). Its duration mode (-D) hangs here, and it prints no percentiles, so
// latencies come from its per-request --log-file (start µs, status, µs to end of response).

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { quantile } from '../stats.ts';
import { ADMISSION_PATH } from './client.ts';
import { LOAD_CORE, pinned } from './pinning.ts';

/** A run that takes longer than this is stuck (the largest runs take seconds). */
const RUN_TIMEOUT_MS = 180_000;

export type Protocol = 'h2' | 'h1';

export interface LoadRun {
  readonly port: number;
  readonly bodyFile: string;
  readonly protocol: Protocol;
  readonly connections: number;
  readonly requests: number;
  readonly logFile: string;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly succeeded: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Installs h2load with apt when missing (the bench runs as root on Debian); throws if that fails. */
export function ensureH2load(log: (line: string) => void): void {
  if (spawnSync('h2load', ['--version']).status === 0) return;
  log('  h2load missing: apt-get install -y nghttp2-client');
  const install = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y nghttp2-client'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (install.status !== 0 || spawnSync('h2load', ['--version']).status !== 0) {
    throw new Error('h2load is missing and `apt-get install -y nghttp2-client` failed');
  }
}

export function h2loadVersion(): string {
  return spawnSync('h2load', ['--version'], { encoding: 'utf8' }).stdout.trim();
}

function parseSummary(stdout: string): {
  requestsPerSecond: number;
  total: number;
  succeeded: number;
  bad: string[];
} {
  const finished = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(stdout);
  const requests =
    /requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(
      stdout,
    );
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(stdout);
  if (!finished || !requests || !codes) throw new Error(`unexpected h2load output:\n${stdout}`);
  const bad: string[] = [];
  if (requests[3] !== '0' || requests[4] !== '0' || requests[5] !== '0') {
    bad.push(`${requests[3]} failed, ${requests[4]} errored, ${requests[5]} timeout`);
  }
  if (codes[2] !== '0' || codes[3] !== '0' || codes[4] !== '0') bad.push(`status codes: ${codes[0]}`);
  return {
    requestsPerSecond: Number(finished[1]),
    total: Number(requests[1]),
    succeeded: Number(requests[2]),
    bad,
  };
}

/** Per-request latencies (ms) from h2load's log file; a status other than 200 makes the run invalid. */
function latenciesMs(logFile: string): number[] {
  const latencies: number[] = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (line === '') continue;
    const [, status, micros] = line.split('\t');
    if (status !== '200') throw new Error(`h2load logged status ${status} in ${logFile}`);
    latencies.push(Number(micros) / 1000);
  }
  return latencies;
}

export async function runH2load(run: LoadRun): Promise<LoadResult> {
  const args = [
    '-n',
    String(run.requests),
    '-c',
    String(run.connections),
    '-m',
    '1',
    '-t',
    '1',
    ...(run.protocol === 'h1' ? ['--h1'] : []),
    '-d',
    run.bodyFile,
    '-H',
    'Content-Type: application/json',
    `--log-file=${run.logFile}`,
    `https://127.0.0.1:${run.port}${ADMISSION_PATH}`,
  ];
  // h2load appends to an existing log file: start each run from an empty one.
  rmSync(run.logFile, { force: true });
  const [command, argv] = pinned(LOAD_CORE, 'h2load', args);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`h2load exited ${code}:\n${output}`);
  const summary = parseSummary(output);
  if (summary.bad.length > 0 || summary.succeeded !== run.requests) {
    throw new Error(
      `h2load: ${summary.succeeded}/${run.requests} succeeded; ${summary.bad.join('; ')}\n${output}`,
    );
  }
  const latencies = latenciesMs(run.logFile);
  return {
    requestsPerSecond: summary.requestsPerSecond,
    succeeded: summary.succeeded,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}
