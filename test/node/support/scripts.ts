// Runs the tier's preparation scripts (apt packages, Go builds cached by hash, kubectl, helm, images) and
// returns the paths they print on their last lines; their progress goes to our stderr.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LineTail, trackChild } from '../../e2e/support/child-processes.ts';

export const ROOT = new URL('../../../', import.meta.url).pathname;

export interface ScriptResult {
  readonly lines: readonly string[];
  readonly seconds: number;
}

/** Runs `command args` from the repository root; rejects with its last output when it fails. */
export function runScript(command: string, args: readonly string[]): Promise<ScriptResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    const stdout: string[] = [];
    const stderr = new LineTail(40);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr.push(line);
      process.stderr.write(`${line}\n`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.join('').trim().split('\n').filter(Boolean);
      if (code !== 0) {
        reject(
          new Error(`${command} ${args.join(' ')} failed (exit ${code}); its last output:\n${stderr.text()}`),
        );
        return;
      }
      resolve({ lines, seconds: (performance.now() - started) / 1000 });
    });
  });
}

export function script(name: string): string {
  return join(ROOT, 'scripts', name);
}

/** The last `count` lines of a script's stdout (the paths it prints). */
export function lastLines(result: ScriptResult, count: number): string[] {
  const lines = result.lines.slice(-count);
  if (lines.length !== count) throw new Error(`expected ${count} paths, got: ${result.lines.join('\n')}`);
  return lines;
}
