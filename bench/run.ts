// `npm run bench [-- --quick]` (or BENCH_QUICK=1): the in-process decide cost per corpus item, the
// HTTP server under h2load, the adversarial requests over HTTP, start-up. Every figure comes with its
// baseline measured in the same run; nothing is asserted on time. Exit 1 only when the bench itself
// breaks (a build, a server or a request fails, a typical item cannot be measured).
//
// The report goes to stdout, progress to stderr.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from './build.ts';
import { runClusterPodsPart } from './cluster-pods/memory.ts';
import { runElectionPart } from './election/report.ts';
import { runAdversarialHttp, type AdversarialHttpRow } from './http/adversarial.ts';
import { ensureH2load, h2loadVersion } from './http/h2load.ts';
import { pinningNote } from './http/pinning.ts';
import { adversarialTable, startupText, throughputTables } from './http/report.ts';
import { startDoNothing, startOperator, type ServerProcess } from './http/servers.ts';
import { runStartup, summarizeStartup, type StartupFigures } from './http/startup.ts';
import { runThroughput, type CaseFigures } from './http/throughput.ts';
import { selfSignedLocalhost } from './http/tls-cert.ts';
import { runInProcessPart } from './in-process/report.ts';
import { machineHeader, uptimeLine } from './machine.ts';
import { BENCH_PARTS, benchMode } from './mode.ts';
import { configDocument } from './corpus/configs.ts';
import { targetLines } from './targets.ts';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const section = (title: string): void => out(`\n== ${title} ==\n`);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  const mode = benchMode(process.argv.slice(2), process.env);
  const startedAt = performance.now();
  const failures: string[] = [];
  const workDir = mkdtempSync(join(tmpdir(), 'datakit-bench-'));
  const servers: ServerProcess[] = [];

  out(
    `datakit-operator bench (${mode.quick ? 'QUICK mode: proves the bench runs; figures not meaningful' : 'full mode'})`,
  );
  if (mode.parts.size < BENCH_PARTS.length) out(`only: ${[...mode.parts].join(', ')}`);
  out(new Date().toISOString());
  for (const line of machineHeader()) out(line);

  let http: CaseFigures[] | undefined;
  let adversarialHttp: AdversarialHttpRow[] | undefined;
  let startup: StartupFigures | undefined;
  let inProcessOverBlock: readonly string[] = [];
  try {
    if (mode.parts.has('in-process')) {
      section('in-process: decide vs JSON.parse + JSON.stringify, per corpus item');
      const inProcess = await runInProcessPart(mode, log);
      out(inProcess.text);
      failures.push(...inProcess.failures);
      inProcessOverBlock = inProcess.overBlockTarget;
    }

    const overHttp = mode.parts.has('http') || mode.parts.has('adversarial') || mode.parts.has('startup');
    if (overHttp) {
      log('  build and h2load');
      out(`\nbuild: ${ensureBuilt(log)}`);
      ensureH2load(log);
      out(`load generator: ${h2loadVersion()}; ${pinningNote()}; uptime before HTTP: ${uptimeLine()}`);
    }
    const tls = selfSignedLocalhost();

    if (mode.parts.has('http')) {
      const baseline = await startDoNothing(workDir, tls);
      servers.push(baseline);
      const ours = await startOperator(workDir, 'typical', configDocument('typical'));
      servers.push(ours);
      section(
        'HTTP: operator (dist/main.js serve) vs do-nothing TLS server, h2load -n, medians of interleaved runs',
      );
      try {
        http = await runThroughput({ mode, workDir, ours, baseline, log });
        out(throughputTables(http));
        out(
          '\nlatency from h2load --log-file (per request); CPU = utime+stime of the server process per 1,000 requests; RSS after the run.',
        );
      } catch (error) {
        failures.push(`HTTP throughput: ${message(error)}`);
      }
      await Promise.all([ours.stop(), baseline.stop()]);
    }

    if (mode.parts.has('adversarial')) {
      const baseline = await startDoNothing(workDir, tls);
      servers.push(baseline);
      section(
        'HTTP: adversarial requests, one at a time (probe = /healthz round trips on the same event loop)',
      );
      try {
        adversarialHttp = await runAdversarialHttp({ mode, workDir, baseline, log });
        out(adversarialTable(adversarialHttp));
      } catch (error) {
        failures.push(`HTTP adversarial: ${message(error)}`);
      }
      await baseline.stop();
    }

    if (mode.parts.has('startup')) {
      section('start-up (embedded default, only the listen ports configured; server pinned to one core)');
      try {
        startup = await runStartup(mode, workDir, tls, log);
        out(startupText(startup));
      } catch (error) {
        failures.push(`start-up: ${message(error)}`);
      }
    }

    if (mode.parts.has('election')) {
      section('election: task polls and central campaigns in-process, worst event-loop block, flood heap');
      const election = await runElectionPart(mode, log);
      out(election.text);
      failures.push(...election.failures);
    }

    if (mode.parts.has('cluster-pods')) {
      section('cluster Pod API: cache heap and answer sizes per 1,000 pods');
      const pods = runClusterPodsPart(mode, log);
      out(pods.text);
      failures.push(...pods.failures);
    }
  } catch (error) {
    failures.push(message(error));
  } finally {
    await Promise.all(servers.map((server) => server.kill()));
  }

  section('targets (reported, not asserted)');
  for (const line of targetLines({
    http,
    inProcessOverBlock,
    adversarialHttp,
    startup: startup ? summarizeStartup(startup) : undefined,
  })) {
    out(line);
  }
  out(`\nuptime at end: ${uptimeLine()}`);
  out(`bench took ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  if (failures.length > 0) {
    out(`\nBENCH BROKEN (${failures.length}):`);
    for (const failure of failures) out(`  ${failure}`);
    out(`work files kept in ${workDir}`);
    return 1;
  }
  rmSync(workDir, { recursive: true, force: true });
  return 0;
}

process.exitCode = await main();
