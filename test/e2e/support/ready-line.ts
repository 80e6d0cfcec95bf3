// Waiting for a child process (the harness, the node supervisor) to print its ready line on stdout:
// resolves then, rejects if it exits, fails to spawn, or stays silent past the timeout.

import type { ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export function waitForReadyLine(
  child: ChildProcessByStdio<null, Readable, Readable>,
  readyLine: string,
  timeoutMs: number,
  what: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${what} printed no ${readyLine} within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.trim() !== readyLine) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the ${what} exited before it was ready (code ${code}, signal ${signal})`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
