// Every process the e2e tier starts is registered here, so that even a test process that exits without
// running its `after` hooks (an uncaught error, process.exit) kills them on the way out. (The harness
// also watches its parent itself, and the operator child loads exit-with-parent.ts for a SIGKILLed parent.)

import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function trackChild(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const leftover of running) leftover.kill('SIGKILL');
    });
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`. Resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (hasExited(child)) return;
  const exited = once(child, 'exit');
  // A stopped (SIGSTOP) process would not act on SIGTERM until continued.
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the last `limit` lines of a stream, for failure messages. */
export class LineTail {
  private readonly lines: string[] = [];
  constructor(private readonly limit: number) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.shift();
  }
  text(): string {
    return this.lines.join('\n');
  }
}
