// Structured JSON logs (pino). One line per admission: enough to answer "what happened to my pod?"
// without ever logging the request body (pods carry secrets in env values).

import { pino, type DestinationStream, type Logger } from 'pino';
import { ErrorCode } from '../errors/codes.ts';
import type { LogLevel } from '../config/types.ts';
import type { AdmissionDecision } from '../admission/types.ts';
import { isoTimeField } from './log-time.ts';
import { LineBatch } from './line-batch.ts';

export type { Logger };

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go; stdout when omitted. Tests pass a stream to read the lines back. */
  readonly destination?: DestinationStream;
}

/**
 * Log lines are written to stdout in batches: a write per admission line cost more than deciding the
 * admission (a system call each; in the bench, half of the server's CPU on the untargeted pod). 8 KiB
 * batches still cost about 7 µs of CPU per line, 64 KiB ones about 4.7 (line-batch.ts). Lines collect,
 * in order, until this much text waits or LOG_FLUSH_INTERVAL_MS passes, and go out in one asynchronous
 * write; what is left is flushed synchronously when the process exits.
 */
export const LOG_WRITE_BATCH_BYTES = 64 * 1024;
export const LOG_FLUSH_INTERVAL_MS = 200;
/**
 * How much log text may wait for stdout. A reader that stops reading (a stuck log pipe) must not grow the
 * process without bound under a flood of admissions (SPEC §15): past this the newest lines are dropped
 * and counted instead.
 */
export const MAX_PENDING_LOG_BYTES = 16 * 1024 * 1024;

/**
 * Batched asynchronous stdout (or `fd`, for tests) for the server's logs; its `droppedLines()` counts the
 * lines dropped because MAX_PENDING_LOG_BYTES were already waiting.
 */
export function stdoutLog(fd = 1, maxPendingBytes = MAX_PENDING_LOG_BYTES): LineBatch {
  // sonic-boom writes each batch as it gets it (minLength 0); the batching and the bound are LineBatch's.
  const writer = pino.destination({ dest: fd, sync: false, minLength: 0 });
  return new LineBatch(writer, {
    batchBytes: LOG_WRITE_BATCH_BYTES,
    flushIntervalMs: LOG_FLUSH_INTERVAL_MS,
    maxPendingBytes,
  });
}

export function buildLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { name: 'datakit-operator' },
    timestamp: isoTimeField(),
    // Level names instead of pino's numbers: people and log pipelines both read them more easily.
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return pino(settings, options.destination ?? stdoutLog());
}

/** Applies a new `log_level` from a hot-reloaded config. */
export function setLogLevel(logger: Logger, level: LogLevel): void {
  if (logger.level !== level) logger.level = level;
}

export function logAdmission(logger: Logger, decision: AdmissionDecision, durationSeconds: number): void {
  const line = {
    uid: decision.uid,
    namespace: decision.namespace,
    pod: decision.podName,
    result: decision.result,
    dryRun: decision.dryRun,
    injected: decision.outcomes.filter((o) => o.status === 'injected').map((o) => o.feature),
    warnings: decision.warnings,
    durationMs: Math.round(durationSeconds * 1e6) / 1e3,
  };
  if (decision.result === 'failed-open') {
    logger.error(
      { ...line, err: decision.error, code: ErrorCode.MUTATION_FAILED },
      'admission failed open: pod admitted unchanged',
    );
  } else {
    logger.info(line, 'admission');
  }
}
