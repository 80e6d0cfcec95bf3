// The report header: enough about the machine and the checkout to read the figures (load average
// first: this 2-core machine may be running a niced background build).

import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { REPO_ROOT } from './paths.ts';

// `--no-optional-locks` below: a read-only look that never rewrites the index of a checkout others work in.
function run(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '?';
  }
}

export function uptimeLine(): string {
  return run('uptime', []);
}

export function machineHeader(): string[] {
  const changed = run('git', ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no']);
  const dirty = changed === '' ? '' : ` + ${changed.split('\n').length} modified files`;
  return [
    `checkout: ${REPO_ROOT} at ${run('git', ['rev-parse', '--short', 'HEAD'])}${dirty}`,
    `node ${process.version}; ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}); ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `uptime: ${uptimeLine()}`,
  ];
}
