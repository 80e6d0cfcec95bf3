// A JSON array of log sources given as a string in the config: a logfwd rule's `log_configs` (reference §5)
// and a `datakit/logs` rule's `config` (reference §3). Both are parsed once at load, so that a mistake is
// reported with its key path and the pods never pay for parsing; what the planners need is the paths of
// the enabled `file` entries, the only ones that need a directory shared.

import type { Findings } from '../findings.ts';
import { isJsonRecord } from '../merge.ts';

export interface FileEntry {
  /** Position in the array, for messages. */
  readonly index: number;
  /** The entry's `path`, whatever its type: the readers decide what they accept. */
  readonly path: unknown;
}

export interface LogEntries {
  /** The array, compacted (JSON.stringify of the parsed value). */
  readonly compacted: string;
  /** The entries that are not disabled and have `type: "file"`, in order. */
  readonly files: readonly FileEntry[];
}

/**
 * The log sources of `text`, or undefined (with an error at `path`) when it is not a JSON array of objects.
 * `expected` completes the message (what the array is for, with an example).
 */
export function readLogEntries(
  findings: Findings,
  text: string,
  path: string,
  expected: { readonly purpose: string; readonly example: string },
): LogEntries | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    findings.error(path, `is not valid JSON (${reason})${expected.purpose}`);
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every(isJsonRecord)) {
    findings.error(path, `must be a JSON array of objects, e.g. ${expected.example}`);
    return undefined;
  }
  const files: FileEntry[] = [];
  for (const [index, entry] of parsed.entries()) {
    if (entry['disable'] === true || entry['type'] !== 'file') continue;
    files.push({ index, path: entry['path'] });
  }
  return { compacted: JSON.stringify(parsed), files };
}
