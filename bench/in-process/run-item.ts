// Parent side of the in-process part: runs measure-item.ts for one item in a child process and turns
// what it prints (or its silence past the time cap) into a row.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CorpusItem } from '../corpus/item.ts';
import { modeFlag, type BenchMode } from '../mode.ts';
import { BENCH_DIR, REPO_ROOT } from '../paths.ts';
import { FIRST_CALL_MARKER, RESULT_LINE_PREFIX, type ItemResult } from './item-result.ts';

const MEASURE_ITEM = join(BENCH_DIR, 'in-process', 'measure-item.ts');
/** Generating the body and warming up must not take longer than this; more is a bench bug. */
const SETUP_TIMEOUT_MS = 60_000;
/** Typical items never block; their child only gets a generous cap against a hung bench. */
const TYPICAL_SLACK_MS = 30_000;
/** Heap for the child: some adversarial answers are hundreds of MB; a crash for want of heap is a finding. */
const CHILD_HEAP_MB = 4_096;

export type ItemRun =
  | ItemResult
  | { readonly status: 'killed'; readonly name: string; readonly afterMs: number }
  | { readonly status: 'crashed'; readonly name: string; readonly inCall: boolean; readonly reason: string };

export function runItem(item: CorpusItem, mode: BenchMode): Promise<ItemRun> {
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${CHILD_HEAP_MB}`, '--import', 'tsx', MEASURE_ITEM, item.name, ...modeFlag(mode)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let firstCallAt: number | undefined;
  let killedAfter: number | undefined;
  const callCapMs =
    item.kind === 'adversarial' ? mode.adversarialTimeoutMs : mode.typicalBudgetMs + TYPICAL_SLACK_MS;
  const kill = (afterMs: number) => {
    killedAfter = afterMs;
    child.kill('SIGKILL');
  };
  let timer = setTimeout(() => kill(SETUP_TIMEOUT_MS), SETUP_TIMEOUT_MS);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (firstCallAt === undefined && stdout.includes(FIRST_CALL_MARKER)) {
      firstCallAt = performance.now();
      clearTimeout(timer);
      timer = setTimeout(() => kill(callCapMs), callCapMs);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_LINE_PREFIX));
      if (line !== undefined) {
        resolve(JSON.parse(line.slice(RESULT_LINE_PREFIX.length)) as ItemResult);
      } else if (killedAfter !== undefined && firstCallAt !== undefined) {
        resolve({ status: 'killed', name: item.name, afterMs: killedAfter });
      } else if (killedAfter !== undefined) {
        resolve({
          status: 'crashed',
          name: item.name,
          inCall: false,
          reason: `setup took over ${killedAfter} ms`,
        });
      } else {
        const lastLines = stderr.trim().split('\n').slice(-3).join(' | ');
        const how = signal ? `signal ${signal}` : `exit ${code}`;
        resolve({
          status: 'crashed',
          name: item.name,
          inCall: firstCallAt !== undefined,
          reason: `${how}: ${lastLines}`,
        });
      }
    });
  });
}
