// The in-process part: every corpus item, ours against the baseline, one table. Items run one after the
// other (never in parallel: 2 cores, and timings are the point).

import { CORPUS } from '../corpus/catalog.ts';
import type { CorpusItem } from '../corpus/item.ts';
import type { BenchMode } from '../mode.ts';
import { formatNumber, formatRatio, formatTable, type Cell } from '../table.ts';
import { runItem, type ItemRun } from './run-item.ts';

/** SPEC §15: no single request may block the event loop longer than this. */
export const BLOCK_TARGET_MS = 50;

export interface PartOutcome {
  readonly text: string;
  /** Reasons the bench itself is broken (the run must exit non-zero). */
  readonly failures: readonly string[];
  /** Adversarial items over the block target, for the targets summary. */
  readonly overBlockTarget: readonly string[];
}

function flag(worstMs: number): string {
  return worstMs > BLOCK_TARGET_MS ? `> ${BLOCK_TARGET_MS} ms` : '';
}

function row(item: CorpusItem, run: ItemRun): Cell[] {
  switch (run.status) {
    case 'measured': {
      const baseline = run.baseline?.medianUs ?? Number.NaN;
      return [
        item.name,
        run.bytes / 1024,
        run.ours.medianUs,
        baseline,
        formatRatio(run.ours.medianUs / baseline),
        run.worstMs,
        run.ours.calls,
        flag(run.worstMs),
        run.outcome,
      ];
    }
    case 'blocked':
      return [
        item.name,
        run.bytes / 1024,
        `blocked ${formatNumber(run.firstMs)} ms (1 run)`,
        '-',
        '-',
        run.firstMs,
        1,
        flag(run.firstMs),
        run.outcome,
      ];
    case 'killed':
      return [
        item.name,
        '-',
        `blocked > ${formatNumber(run.afterMs)} ms (killed)`,
        '-',
        '-',
        run.afterMs,
        0,
        flag(run.afterMs),
        'no answer within the cap',
      ];
    case 'crashed':
      return [
        item.name,
        '-',
        'crashed',
        '-',
        '-',
        '-',
        0,
        run.inCall ? 'CRASH' : '',
        run.reason.slice(0, 120),
      ];
  }
}

function worstOf(run: ItemRun): number {
  if (run.status === 'measured') return run.worstMs;
  if (run.status === 'blocked') return run.firstMs;
  return run.status === 'killed' ? run.afterMs : Number.POSITIVE_INFINITY;
}

export async function runInProcessPart(mode: BenchMode, log: (line: string) => void): Promise<PartOutcome> {
  const rows: Cell[][] = [];
  const failures: string[] = [];
  const overBlockTarget: string[] = [];
  for (const item of CORPUS) {
    log(`  in-process: ${item.name}`);
    const run = await runItem(item, mode);
    rows.push(row(item, run));
    // A typical item must always be measured; an adversarial one may block or crash inside the code
    // under test (a finding to report), but not before its first call (a bench bug).
    if (run.status === 'crashed' && (item.kind === 'typical' || !run.inCall)) {
      failures.push(`in-process ${item.name}: ${run.reason}`);
    }
    if (run.status !== 'measured' && item.kind === 'typical')
      failures.push(`in-process ${item.name}: ${run.status}`);
    if (item.kind === 'adversarial' && worstOf(run) > BLOCK_TARGET_MS) overBlockTarget.push(item.name);
  }
  const headers = ['item', 'KiB', 'ours µs', 'base µs', 'ours/base', 'worst ms', 'calls', 'block', 'outcome'];
  const legend = CORPUS.map(
    (item) => `  ${item.name.padEnd(26)} ${item.kind === 'typical' ? '' : '[adv] '}${item.description}`,
  );
  const text = [
    formatTable(headers, rows, [0, 7, 8]),
    '',
    'ours = JSON.parse + parseAdmissionReview + handleAdmission + the answer text; base = JSON.stringify(JSON.parse(body)).',
    'µs = median per call; worst ms = longest single call incl. the first (the worst event-loop block); block flags > 50 ms (SPEC §15).',
    'Items:',
    ...legend,
  ].join('\n');
  return { text, failures, overBlockTarget };
}
