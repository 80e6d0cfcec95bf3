// CPU time and memory of a server process, read from /proc (Linux): what the server itself spent,
// whatever h2load or the machine's other load did.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (100 on every Linux we run on). */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Index of utime among the fields after the `(comm)` field of /proc/<pid>/stat (stime follows). */
const UTIME_AFTER_COMM = 11;

/** User + system CPU seconds of every thread of the process so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: split after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[UTIME_AFTER_COMM]);
  const stime = Number(fields[UTIME_AFTER_COMM + 1]);
  return (utime + stime) / CLOCK_TICKS;
}

/** Resident set size in MB (VmRSS), or NaN if the process is gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
