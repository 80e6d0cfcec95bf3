// Structured JSON logs (pino). One line per admission: enough to answer "what happened to my pod?"
// without ever logging the request body (pods carry secrets in env values).

import { pino, type DestinationStream, type Logger } from 'pino';
import { ErrorCode } from '../errors/codes.ts';
import type { LogLevel } from '../config/types.ts';
import type { AdmissionDecision } from '../admission/types.ts';
import { isoTimeField } from './log-time.ts';

export type { Logger };

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go; stdout when omitted. Tests pass a stream to read the lines back. */
  readonly destination?: DestinationStream;
}

export function buildLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { name: 'datakit-operator' },
    timestamp: isoTimeField(),
    // Level names instead of pino's numbers: people and log pipelines both read them more easily.
    formatters: { level: (label: string) => ({ level: label }) },
  };
  // Asynchronous stdout: a synchronous write per admission line cost more than deciding the admission.
  // While one write is in flight the next lines collect in order and go out together; pino flushes
  // what is left synchronously on process exit, so a shutdown after a signal loses no line.
  return pino(settings, options.destination ?? pino.destination({ dest: 1, sync: true }));
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
