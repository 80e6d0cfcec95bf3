// The adversarial corpus over HTTP, one request at a time: what the real server answers (a 400 for a
// body it cannot parse is a correct answer) and how long its event loop stalls meanwhile, seen as the
// longest round trip of probes to its health listener, which shares the webhook's event loop.

import { ADVERSARIAL_ITEMS } from '../corpus/adversarial.ts';
import { CONFIG_NAMES, configDocument } from '../corpus/configs.ts';
import { REVIEW_UID } from '../corpus/pods.ts';
import type { BenchMode } from '../mode.ts';
import { isAllowedAnswer, postReview, probeEventLoop, type Answer } from './client.ts';
import { rssMb } from './proc-stats.ts';
import { startOperator, type ServerProcess } from './servers.ts';

export interface AdversarialHttpRow {
  readonly item: string;
  readonly answer: string;
  readonly oursMs: number;
  readonly baselineMs: number;
  /** Longest health-probe round trip during the request: about the worst event-loop block. */
  readonly probeMaxMs: number;
  readonly rssAfterMb: number;
}

function describe(answer: Answer): string {
  if (isAllowedAnswer(answer, REVIEW_UID)) {
    const response = (JSON.parse(answer.text) as { response: { patch?: string; warnings?: string[] } })
      .response;
    const patch = response.patch ? `patch ${(response.patch.length / 1024).toFixed(1)} KiB` : 'no patch';
    return `200 allowed, ${patch}${response.warnings ? `, ${response.warnings.length} warn` : ''}`;
  }
  return `${answer.status} ${answer.text.replace(/\s+/g, ' ').slice(0, 70)}`;
}

export interface AdversarialInput {
  readonly mode: BenchMode;
  readonly workDir: string;
  readonly baseline: ServerProcess;
  readonly log: (line: string) => void;
}

export async function runAdversarialHttp(input: AdversarialInput): Promise<AdversarialHttpRow[]> {
  const { mode, workDir, baseline, log } = input;
  const rows: AdversarialHttpRow[] = [];
  for (const config of CONFIG_NAMES) {
    const items = ADVERSARIAL_ITEMS.filter((item) => item.config === config);
    if (items.length === 0) continue;
    let ours: ServerProcess | undefined;
    for (const item of items) {
      log(`  http adversarial: ${item.name}`);
      ours ??= await startOperator(workDir, `adversarial-${config}`, configDocument(config));
      const body = item.body();
      const baselineAnswer = await postReview(baseline.port, body, mode.adversarialTimeoutMs).catch(
        () => undefined,
      );
      const probe = probeEventLoop(ours.healthPort as number);
      let answer: Answer | Error;
      try {
        answer = await postReview(ours.port, body, mode.adversarialTimeoutMs);
      } catch (error) {
        answer = error as Error;
      }
      const stillAlive = ours.alive();
      const rss = rssMb(ours.pid);
      // A server that did not answer is blocked: kill it first, or the probe would wait for it.
      if (answer instanceof Error || !stillAlive) await ours.kill();
      const probeMaxMs = await probe.stop();
      rows.push({
        item: item.name,
        answer: !stillAlive
          ? 'SERVER CRASHED'
          : answer instanceof Error
            ? `no answer: ${answer.message} (server killed)`
            : describe(answer),
        oursMs: answer instanceof Error ? Number.NaN : answer.ms,
        baselineMs: baselineAnswer?.ms ?? Number.NaN,
        probeMaxMs,
        rssAfterMb: rss,
      });
      if (!ours.alive()) ours = undefined;
    }
    await ours?.stop();
  }
  return rows;
}
