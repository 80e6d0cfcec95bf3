// Tables of the HTTP part: throughput and latency, cost per request, the adversarial requests, start-up.

import { median } from '../stats.ts';
import { formatNumber, formatRatio, formatTable, type Cell } from '../table.ts';
import { BLOCK_TARGET_MS } from '../in-process/report.ts';
import type { AdversarialHttpRow } from './adversarial.ts';
import type { StartupFigures } from './startup.ts';
import type { CaseFigures } from './throughput.ts';

function caseCells(figures: CaseFigures): Cell[] {
  const { item, protocol, connections } = figures.case;
  return [item, protocol, connections];
}

export function throughputTables(figures: readonly CaseFigures[]): string {
  const speed = figures.map((row) => [
    ...caseCells(row),
    row.ours.requestsPerSecond,
    row.baseline.requestsPerSecond,
    formatRatio(row.ours.requestsPerSecond / row.baseline.requestsPerSecond),
    row.ours.p50Ms,
    row.baseline.p50Ms,
    row.ours.p99Ms,
    row.baseline.p99Ms,
    formatRatio(row.ours.p99Ms / row.baseline.p99Ms),
  ]);
  const cost = figures.map((row) => [
    ...caseCells(row),
    row.ours.cpuSecondsPer1000,
    row.baseline.cpuSecondsPer1000,
    formatRatio(row.ours.cpuSecondsPer1000 / row.baseline.cpuSecondsPer1000),
    row.ours.rssMb,
    row.baseline.rssMb,
    formatRatio(row.ours.rssMb / row.baseline.rssMb),
  ]);
  return [
    formatTable(
      [
        'item',
        'proto',
        'conns',
        'ours req/s',
        'base req/s',
        'ratio',
        'ours p50 ms',
        'base p50',
        'ours p99 ms',
        'base p99',
        'p99 ratio',
      ],
      speed,
      [0, 1],
    ),
    '',
    formatTable(
      [
        'item',
        'proto',
        'conns',
        'ours CPU s/1k req',
        'base CPU s/1k',
        'ratio',
        'ours RSS MB',
        'base RSS MB',
        'ratio',
      ],
      cost,
      [0, 1],
    ),
  ].join('\n');
}

export function adversarialTable(rows: readonly AdversarialHttpRow[]): string {
  return formatTable(
    ['item', 'ours ms', 'base ms', 'probe max ms', 'block', 'RSS after MB', 'ours answered'],
    rows.map((row) => [
      row.item,
      row.oursMs,
      row.baselineMs,
      row.probeMaxMs,
      row.probeMaxMs > BLOCK_TARGET_MS ? `> ${BLOCK_TARGET_MS} ms` : '',
      row.rssAfterMb,
      row.answer,
    ]),
    [0, 4, 6],
  );
}

export function startupText(figures: StartupFigures): string {
  const list = (values: readonly number[]) => values.map((value) => formatNumber(value)).join(', ');
  const { ours, baseline } = figures;
  return formatTable(
    ['', 'median', 'runs'],
    [
      ['ours: spawn to first admission answered, ms', median(ours.firstAnswerMs), list(ours.firstAnswerMs)],
      ['do-nothing (plain node): same, ms', median(baseline.firstAnswerMs), list(baseline.firstAnswerMs)],
      ['ours: idle RSS after start-up, MB', median(ours.idleRssMb), list(ours.idleRssMb)],
      ['do-nothing: idle RSS, MB', median(baseline.idleRssMb), list(baseline.idleRssMb)],
    ],
    [0, 2],
  );
}
