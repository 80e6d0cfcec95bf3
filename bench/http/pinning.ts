// CPU pinning: on the 2-core bench machine the server gets core 0 and the load generator core 1, so
// that they never compete for a core (SPEC-level figures are meaningless when they do).

import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

const canPin = availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** The command line, prefixed with `taskset -c CORE` when pinning is possible. */
export function pinned(core: number, command: string, args: readonly string[]): [string, string[]] {
  return canPin ? ['taskset', ['-c', String(core), command, ...args]] : [command, [...args]];
}

export function pinningNote(): string {
  return canPin
    ? `servers pinned to core ${SERVER_CORE}, h2load to core ${LOAD_CORE} (taskset)`
    : 'NOT pinned (taskset missing or fewer than 2 cores): figures are noisier';
}
