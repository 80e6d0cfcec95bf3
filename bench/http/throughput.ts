// The HTTP part: the operator against the do-nothing server on the same requests, over h2 and
// HTTP/1.1, with one and with 32 connections. Repetitions are interleaved (round by round, alternating
// which server goes first) so that slow drifts in machine load hit both servers alike; medians reported.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TYPICAL_ITEMS } from '../corpus/typical.ts';
import { REVIEW_UID } from '../corpus/pods.ts';
import type { BenchMode } from '../mode.ts';
import { median } from '../stats.ts';
import { isAllowedAnswer, postReview } from './client.ts';
import { runH2load, type Protocol } from './h2load.ts';
import { cpuSeconds, rssMb } from './proc-stats.ts';
import type { ServerProcess } from './servers.ts';

export const PROTOCOLS: readonly Protocol[] = ['h2', 'h1'];
export const CONNECTION_COUNTS: readonly number[] = [1, 32];
const SANITY_TIMEOUT_MS = 10_000;

export interface HttpCase {
  readonly item: string;
  readonly protocol: Protocol;
  readonly connections: number;
}

export interface ServerFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuSecondsPer1000: number;
  readonly rssMb: number;
}

export interface CaseFigures {
  readonly case: HttpCase;
  readonly ours: ServerFigures;
  readonly baseline: ServerFigures;
}

interface Sample {
  requestsPerSecond: number[];
  p50Ms: number[];
  p99Ms: number[];
  cpuSecondsPer1000: number[];
  rssMb: number[];
}

function emptySample(): Sample {
  return { requestsPerSecond: [], p50Ms: [], p99Ms: [], cpuSecondsPer1000: [], rssMb: [] };
}

function medians(sample: Sample): ServerFigures {
  return {
    requestsPerSecond: median(sample.requestsPerSecond),
    p50Ms: median(sample.p50Ms),
    p99Ms: median(sample.p99Ms),
    cpuSecondsPer1000: median(sample.cpuSecondsPer1000),
    rssMb: median(sample.rssMb),
  };
}

/** A multiple of the connection count, so that every connection sends the same number of requests. */
function perConnection(requests: number, connections: number): number {
  return Math.max(connections, Math.round(requests / connections) * connections);
}

/** Requests for a run of about `ms` at the calibrated rate, within the mode's bounds. */
function requestsFor(ms: number, rate: number, connections: number, mode: BenchMode, floor: number): number {
  const wanted = Math.min(mode.httpMaxRequests, Math.max(floor, (rate * ms) / 1000));
  return perConnection(wanted, connections);
}

export interface ThroughputInput {
  readonly mode: BenchMode;
  readonly workDir: string;
  readonly ours: ServerProcess;
  readonly baseline: ServerProcess;
  readonly log: (line: string) => void;
}

/** Every server must answer every item with allowed:true before any load: otherwise the bench is broken. */
async function checkAnswers(input: ThroughputInput, bodies: ReadonlyMap<string, string>): Promise<void> {
  for (const server of [input.ours, input.baseline]) {
    for (const [item, body] of bodies) {
      const answer = await postReview(server.port, body, SANITY_TIMEOUT_MS);
      if (!isAllowedAnswer(answer, REVIEW_UID)) {
        throw new Error(
          `${server.label} did not answer ${item} with allowed:true: ${answer.status} ${answer.text.slice(0, 200)}`,
        );
      }
    }
  }
}

export async function runThroughput(input: ThroughputInput): Promise<CaseFigures[]> {
  const { mode, workDir, log } = input;
  const items = TYPICAL_ITEMS.filter((item) => item.overHttp);
  const bodies = new Map(items.map((item) => [item.name, item.body()]));
  const bodyFiles = new Map<string, string>();
  for (const [name, body] of bodies) {
    const file = join(workDir, `${name}.body.json`);
    writeFileSync(file, body);
    bodyFiles.set(name, file);
  }
  await checkAnswers(input, bodies);

  const cases: HttpCase[] = items.flatMap((item) =>
    PROTOCOLS.flatMap((protocol) =>
      CONNECTION_COUNTS.map((connections) => ({ item: item.name, protocol, connections })),
    ),
  );
  const logFile = join(workDir, 'h2load-requests.log');
  const load = (server: ServerProcess, run: HttpCase, requests: number) =>
    runH2load({
      port: server.port,
      bodyFile: bodyFiles.get(run.item) as string,
      protocol: run.protocol,
      connections: run.connections,
      requests,
      logFile,
    });

  // Rates per case and server, from a first calibrating run: each warm-up and each measured run then
  // lasts about as long as the mode says, whatever the server's speed.
  const rates = new Map<string, number>();
  const samples = new Map<string, Sample>();
  const key = (server: ServerProcess, run: HttpCase) =>
    `${server.label} ${run.item} ${run.protocol} ${run.connections}`;
  for (let round = 0; round < mode.httpRepetitions; round += 1) {
    for (const run of cases) {
      log(
        `  http round ${round + 1}/${mode.httpRepetitions}: ${run.item} ${run.protocol} c=${run.connections}`,
      );
      const order = round % 2 === 0 ? [input.ours, input.baseline] : [input.baseline, input.ours];
      for (const server of order) {
        const id = key(server, run);
        let rate = rates.get(id);
        if (rate === undefined) {
          const calibration = mode.httpCalibrationPerConnection * run.connections;
          rate = (await load(server, run, calibration)).requestsPerSecond;
          rates.set(id, rate);
        }
        await load(server, run, requestsFor(mode.httpWarmupMs, rate, run.connections, mode, 1));
        const requests = requestsFor(mode.httpRunTargetMs, rate, run.connections, mode, mode.httpMinRequests);
        const cpuBefore = cpuSeconds(server.pid);
        const result = await load(server, run, requests);
        const cpuAfter = cpuSeconds(server.pid);
        const sample = samples.get(id) ?? emptySample();
        sample.requestsPerSecond.push(result.requestsPerSecond);
        sample.p50Ms.push(result.p50Ms);
        sample.p99Ms.push(result.p99Ms);
        sample.cpuSecondsPer1000.push(((cpuAfter - cpuBefore) * 1000) / requests);
        sample.rssMb.push(rssMb(server.pid));
        samples.set(id, sample);
      }
    }
  }
  return cases.map((run) => ({
    case: run,
    ours: medians(samples.get(key(input.ours, run)) as Sample),
    baseline: medians(samples.get(key(input.baseline, run)) as Sample),
  }));
}
