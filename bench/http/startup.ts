// Start-up: from spawning `node dist/main.js serve` on the embedded default (a config file holding only
// the listen addresses) to the first admission answered allowed:true, then the RSS once idle. The
// do-nothing server's figures (plain node, same pinning) are the baseline: what node itself costs.

import { readFileSync } from 'node:fs';
import type { BenchMode } from '../mode.ts';
import { JAVA_REVIEW_EXAMPLE } from '../paths.ts';
import { median } from '../stats.ts';
import { isAllowedAnswer, postReview } from './client.ts';
import { rssMb } from './proc-stats.ts';
import { spawnDoNothing, spawnOperator, type ServerProcess } from './servers.ts';
import type { TlsFiles } from './tls-cert.ts';

const ATTEMPT_TIMEOUT_MS = 2_000;
const RETRY_MS = 5;
const GIVE_UP_MS = 30_000;
/** After the first answer, idle this long before reading RSS (lazy initialisation settles). */
const IDLE_SETTLE_MS = 2_000;

export interface StartupSeries {
  readonly firstAnswerMs: number[];
  readonly idleRssMb: number[];
}

export interface StartupFigures {
  readonly ours: StartupSeries;
  readonly baseline: StartupSeries;
}

async function measureOnce(
  spawnServer: () => Promise<ServerProcess>,
  text: string,
  uid: string,
  into: StartupSeries,
): Promise<void> {
  const started = performance.now();
  const server = await spawnServer();
  try {
    for (;;) {
      if (performance.now() - started > GIVE_UP_MS || !server.alive()) {
        throw new Error(`${server.label} answered no admission within ${GIVE_UP_MS} ms of its start`);
      }
      const answer = await postReview(server.port, text, ATTEMPT_TIMEOUT_MS).catch(() => undefined);
      if (answer && isAllowedAnswer(answer, uid)) break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    into.firstAnswerMs.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    into.idleRssMb.push(rssMb(server.pid));
  } finally {
    await server.stop();
  }
}

export async function runStartup(
  mode: BenchMode,
  workDir: string,
  tls: TlsFiles,
  log: (line: string) => void,
): Promise<StartupFigures> {
  const text = readFileSync(JAVA_REVIEW_EXAMPLE, 'utf8');
  const uid = (JSON.parse(text) as { request: { uid: string } }).request.uid;
  const figures: StartupFigures = {
    ours: { firstAnswerMs: [], idleRssMb: [] },
    baseline: { firstAnswerMs: [], idleRssMb: [] },
  };
  for (let run = 0; run < mode.startupRepetitions; run += 1) {
    log(`  start-up ${run + 1}/${mode.startupRepetitions}`);
    // No tls.mode: the embedded default's `auto`, which offline means the ephemeral certificate.
    const ours = async () => (await spawnOperator(workDir, `startup-${run}`, {}, undefined)).server;
    const baseline = async () => (await spawnDoNothing(workDir, tls)).server;
    await measureOnce(ours, text, uid, figures.ours);
    await measureOnce(baseline, text, uid, figures.baseline);
  }
  return figures;
}

export function summarizeStartup(figures: StartupFigures): { firstAnswerMs: number; idleRssMb: number } {
  return { firstAnswerMs: median(figures.ours.firstAnswerMs), idleRssMb: median(figures.ours.idleRssMb) };
}
