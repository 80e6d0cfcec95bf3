// The targets next to the measured figures. Reported, never asserted: timing on a shared 2-core
// machine is not a pass/fail signal (ARCHITECTURE: benchmarks are not timed tests).

import type { AdversarialHttpRow } from './http/adversarial.ts';
import type { CaseFigures } from './http/throughput.ts';
import { BLOCK_TARGET_MS } from './in-process/report.ts';
import { formatNumber, formatRatio } from './table.ts';

/** Each request-rate target: the item and the least share of the do-nothing server's req/s. */
export const RATE_TARGETS: readonly { readonly item: string; readonly atLeast: number }[] = [
  { item: 'untargeted-pod', atLeast: 0.9 },
  { item: 'java-pod', atLeast: 0.75 },
];
/** p99 latency with one connection, at most this multiple of the do-nothing server's. */
export const P99_ONE_CONNECTION_AT_MOST = 1.5;
export const STARTUP_TARGET_MS = 1_000;
export const IDLE_RSS_TARGET_MB = 80;

export interface TargetInputs {
  readonly http: readonly CaseFigures[] | undefined;
  readonly inProcessOverBlock: readonly string[];
  readonly adversarialHttp: readonly AdversarialHttpRow[] | undefined;
  readonly startup: { readonly firstAnswerMs: number; readonly idleRssMb: number } | undefined;
}

const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

function caseName(row: CaseFigures): string {
  return `${row.case.protocol} c=${row.case.connections}`;
}

export function targetLines(inputs: TargetInputs): string[] {
  const lines: string[] = [];
  for (const target of RATE_TARGETS) {
    const rows = (inputs.http ?? []).filter((row) => row.case.item === target.item);
    const figures = rows.map((row) => {
      const ratio = row.ours.requestsPerSecond / row.baseline.requestsPerSecond;
      return `${caseName(row)} ${formatRatio(ratio)} ${verdict(ratio >= target.atLeast)}`;
    });
    lines.push(`${target.item} req/s >= ${target.atLeast}x do-nothing: ${figures.join('; ')}`);
  }
  const oneConnection = (inputs.http ?? []).filter((row) => row.case.connections === 1);
  const p99 = oneConnection.map((row) => {
    const ratio = row.ours.p99Ms / row.baseline.p99Ms;
    return `${row.case.item} ${row.case.protocol} ${formatRatio(ratio)} ${verdict(ratio <= P99_ONE_CONNECTION_AT_MOST)}`;
  });
  lines.push(`p99, one connection, <= ${P99_ONE_CONNECTION_AT_MOST}x do-nothing: ${p99.join('; ')}`);
  const httpOver = (inputs.adversarialHttp ?? [])
    .filter((row) => row.probeMaxMs > BLOCK_TARGET_MS)
    .map((row) => row.item);
  lines.push(
    `no adversarial request blocks > ${BLOCK_TARGET_MS} ms: in-process ${verdict(inputs.inProcessOverBlock.length === 0)}` +
      ` (${inputs.inProcessOverBlock.length} over: ${inputs.inProcessOverBlock.join(', ') || 'none'});` +
      ` over HTTP ${verdict(httpOver.length === 0)} (${httpOver.length} over: ${httpOver.join(', ') || 'none'})`,
  );
  if (inputs.startup) {
    const { firstAnswerMs, idleRssMb } = inputs.startup;
    lines.push(
      `start-up to first admission <= ${STARTUP_TARGET_MS} ms: ${formatNumber(firstAnswerMs)} ms ${verdict(firstAnswerMs <= STARTUP_TARGET_MS)}`,
      `idle RSS <= ${IDLE_RSS_TARGET_MB} MB: ${formatNumber(idleRssMb)} MB ${verdict(idleRssMb <= IDLE_RSS_TARGET_MB)}`,
    );
  }
  return lines;
}
