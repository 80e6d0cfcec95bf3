// The operator's JSON log lines (pino, one object per line on stdout), read back by the journeys. The
// admission line (`msg: "admission"`, with uid, namespace, pod, result, dryRun) is how a journey proves
// that a request did, or did not, reach the webhook.

export interface LogEntry {
  readonly level?: string;
  readonly msg?: string;
  readonly [key: string]: unknown;
}

export interface AdmissionLogEntry extends LogEntry {
  readonly uid: string;
  readonly namespace: string;
  readonly pod: string;
  readonly result: string;
  readonly dryRun: boolean;
  readonly injected: readonly string[];
  readonly warnings: readonly string[];
}

export const ADMISSION_MESSAGE = 'admission';
export const FAILED_OPEN_MESSAGE = 'admission failed open: pod admitted unchanged';
export const STARTED_MESSAGE_PREFIX = 'datakit-operator started';
export const RELOADED_MESSAGE = 'configuration reloaded';
export const RELOAD_REJECTED_PREFIX = 'configuration reload rejected';

/** Undefined for a line that is not a JSON object (a stack trace, tsx's own output). */
export function parseLogLine(line: string): LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as LogEntry)
      : undefined;
  } catch {
    return undefined;
  }
}

export function isAdmissionEntry(entry: LogEntry): entry is AdmissionLogEntry {
  return (
    (entry.msg === ADMISSION_MESSAGE || entry.msg === FAILED_OPEN_MESSAGE) &&
    typeof entry['namespace'] === 'string' &&
    typeof entry['uid'] === 'string'
  );
}

/** The admission lines for pods of one namespace. */
export function admissionsIn(entries: readonly LogEntry[], namespace: string): AdmissionLogEntry[] {
  return entries.filter(isAdmissionEntry).filter((entry) => entry.namespace === namespace);
}
