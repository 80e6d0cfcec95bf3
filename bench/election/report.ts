// The election part of the bench (SPEC §10, §15): task-election polls per second for a wide fleet
// (10,000 DataKits × 10 inputs) and a deep one (20 × 20,000), central-election campaigns per second, the
// worst event-loop block of each, and the heap after a flood of 100,000 distinct scopes. In process, one
// case after the other (2 cores, and timings are the point).

import { BLOCK_TARGET_MS } from '../in-process/report.ts';
import type { BenchMode } from '../mode.ts';
import { formatRatio, formatTable, type Cell } from '../table.ts';
import { FLOOD_SCOPES, measureCentral } from './central.ts';
import { measurePolls, type FleetShape } from './task-polls.ts';

const FLEETS: readonly FleetShape[] = [
  { name: '10,000 DataKits × 10 inputs', datakits: 10_000, inputs: 10 },
  { name: '20 DataKits × 20,000 inputs', datakits: 20, inputs: 20_000 },
];

export async function runElectionPart(
  mode: BenchMode,
  log: (line: string) => void,
): Promise<{ text: string; failures: string[] }> {
  const failures: string[] = [];
  const budgetMs = mode.quick ? 100 : 3_000;
  const taskRows: Cell[][] = [];
  for (const fleet of FLEETS) {
    log(`  election: task polls, ${fleet.name}`);
    const figures = measurePolls(fleet, budgetMs, mode.quick ? 1 : 2);
    taskRows.push([
      fleet.name,
      figures.pollsPerSecond,
      figures.baselinePollsPerSecond,
      formatRatio(figures.pollsPerSecond / figures.baselinePollsPerSecond),
      figures.worstPollMs,
      figures.leavePollMs,
      figures.startPollMs,
      figures.sizesUs,
      figures.worstPollMs > BLOCK_TARGET_MS ? `> ${BLOCK_TARGET_MS} ms` : '',
    ]);
  }

  log('  election: central campaigns and the scope flood');
  const central = await measureCentral(mode.quick);
  if (central.scopesAfterFlood > 1_000)
    failures.push(`election: ${central.scopesAfterFlood} scopes after the flood`);
  const centralRows: Cell[][] = [
    [
      'campaigns winning a new scope',
      central.winsPerSecond,
      central.hashesPerSecond,
      formatRatio(central.winsPerSecond / central.hashesPerSecond),
    ],
    [
      'campaigns defeated by the holder',
      central.defeatsPerSecond,
      central.hashesPerSecond,
      formatRatio(central.defeatsPerSecond / central.hashesPerSecond),
    ],
    [
      `flood: ${FLOOD_SCOPES.toLocaleString('en-US')} distinct scopes`,
      central.floodPerSecond,
      central.hashesPerSecond,
      formatRatio(central.floodPerSecond / central.hashesPerSecond),
    ],
  ];

  const text = [
    formatTable(
      [
        'task election',
        'polls/s',
        'base polls/s',
        'ours/base',
        'worst ms',
        'leave ms',
        'start ms',
        'sizes µs',
        'block',
      ],
      taskRows,
      [0, 8],
    ),
    '',
    'polls/s = body parsed + answered, settled fleet polling every 4 s (simulated clock); base = the same parse plus the',
    'assignment recomputed from scratch over every member on each poll (what the operator did before).',
    'worst ms = longest single poll of the settled fleet and after a leave (polls are synchronous: the worst event-loop',
    'block); leave ms = longest poll of the rounds after the biggest holder left (its inputs are placed, then confirmed);',
    'start ms = longest poll while the fleet joins (JIT, GC); sizes µs = what one /metrics scrape reads from the election.',
    '',
    formatTable(['central election (memory store)', 'campaigns/s', 'base/s', 'ours/base'], centralRows),
    '',
    'base = hashing the scope into its Lease name only. Flood: max_scopes 1,000, the rest refused with 503 scope_limit;',
    `worst flood campaign ${central.worstFloodCampaignMs.toFixed(2)} ms (wall time, campaigns yield); heap after a full GC ` +
      `${central.heapBeforeMiB.toFixed(1)} MiB before, ${central.heapAfterFloodMiB.toFixed(1)} MiB after the flood; ` +
      `${central.scopesAfterFlood} scopes and ${central.observationsAfterFlood} expiry observations kept.`,
  ].join('\n');
  return { text, failures };
}
