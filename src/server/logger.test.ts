import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import type { AdmissionDecision } from '../admission/types.ts';
import { captureLogs } from '../../test/http/log-capture.ts';
import { buildLogger, logAdmission, setLogLevel, stdoutLog } from './logger.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function decision(overrides: Partial<AdmissionDecision>): AdmissionDecision {
  return {
    review: {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u1', allowed: true },
    },
    result: 'unchanged',
    outcomes: [],
    warnings: [],
    namespace: 'shop',
    podName: 'web-',
    uid: 'u1',
    dryRun: false,
    ...overrides,
  };
}

describe('logAdmission', () => {
  it('logs one info line with uid, namespace, pod, result, injected features, warnings and duration', () => {
    const { destination, lines } = captureLogs();
    const logger = buildLogger({ level: 'info', destination });
    logAdmission(
      logger,
      decision({
        result: 'mutated',
        warnings: ['profiler: bad annotation'],
        outcomes: [
          {
            feature: 'ddtrace',
            status: 'injected',
            reason: 'annotation',
            summary: 'java:img',
            detail: 'd',
            warnings: [],
          },
          { feature: 'logfwd', status: 'skipped', reason: 'not-targeted', detail: 'd' },
        ],
      }),
      0.0012345,
    );
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.ok(line);
    assert.equal(line.level, 'info');
    assert.equal(line['uid'], 'u1');
    assert.equal(line['namespace'], 'shop');
    assert.equal(line['pod'], 'web-');
    assert.equal(line['result'], 'mutated');
    assert.deepEqual(line['injected'], ['ddtrace']);
    assert.deepEqual(line['warnings'], ['profiler: bad annotation']);
    assert.equal(line['durationMs'], 1.235);
  });

  it('logs a failed-open admission at error level with the error', () => {
    const { destination, lines } = captureLogs();
    const logger = buildLogger({ level: 'info', destination });
    logAdmission(logger, decision({ result: 'failed-open', error: new Error('boom in ddtrace') }), 0.001);
    const [line] = lines;
    assert.ok(line);
    assert.equal(line.level, 'error');
    assert.match(JSON.stringify(line['err']), /boom in ddtrace/);
    assert.match(line.msg, /failed open/);
  });
});

describe('setLogLevel', () => {
  it('changes which lines are written', () => {
    const { destination, lines } = captureLogs();
    const logger = buildLogger({ level: 'warn', destination });
    logger.info('hidden');
    setLogLevel(logger, 'debug');
    logger.debug('shown');
    assert.deepEqual(
      lines.map((line) => line.msg),
      ['shown'],
    );
  });
});

describe('stdoutLog', () => {
  it('writes lines in order, in batches, and drops and counts what exceeds the pending bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dko-log-'));
    const file = join(dir, 'out.log');
    // Ending the stream closes the file.
    const log = stdoutLog(openSync(file, 'w'), 32 * 1024);
    try {
      const logger = buildLogger({ level: 'info', destination: log });
      // One tick: nothing is written before the tick ends, so everything past the bound is dropped.
      const lines = 1000;
      for (let i = 0; i < lines; i += 1) logger.info({ i, padding: 'x'.repeat(100) }, 'line');
      assert.ok(log.droppedLines() > 0, 'nothing was dropped');
      const written = lines - log.droppedLines();
      await log.end();
      const read = readFileSync(file, 'utf8').trim().split('\n');
      assert.deepEqual(
        read.map((line) => (JSON.parse(line) as { i: number }).i),
        Array.from({ length: written }, (_, i) => i),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a lone line within the flush interval, without waiting for a full batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dko-log-'));
    const file = join(dir, 'out.log');
    const log = stdoutLog(openSync(file, 'w'));
    try {
      buildLogger({ level: 'info', destination: log }).info('alone');
      assert.equal(readFileSync(file, 'utf8'), '', 'written at once, not batched');
      // A liveness bound, not a speed assertion.
      for (let waited = 0; readFileSync(file, 'utf8') === '' && waited < 10_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(readFileSync(file, 'utf8'), /"msg":"alone"/);
    } finally {
      await log.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the lines still waiting when the process exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dko-log-'));
    try {
      const script = join(dir, 'exit.ts');
      const logger = JSON.stringify(join(REPO_ROOT, 'src/server/logger.ts'));
      writeFileSync(
        script,
        `import { buildLogger, stdoutLog } from ${logger};\n` +
          "const log = buildLogger({ level: 'info', destination: stdoutLog() });\n" +
          "for (let i = 0; i < 3; i += 1) log.info({ i }, 'before exit');\n" +
          'process.exit(0);\n',
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { i: number; msg: string });
      assert.deepEqual(
        lines.map((line) => [line.i, line.msg]),
        [0, 1, 2].map((i) => [i, 'before exit']),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
