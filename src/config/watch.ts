// Hot reload of the config file (SPEC §2), on the shared file watch (reload/file-watch.ts): the file's
// directory is watched and its content polled, and a reload happens only when the content hash has
// changed since the text the running config was parsed from.

import { createHash } from 'node:crypto';
import { ok } from '../errors/result.ts';
import { watchFiles, type FileWatch } from '../reload/file-watch.ts';
import { parseConfigText, readConfigFile, type LoadResult } from './load.ts';

export interface WatchOptions {
  /** How often the content is checked even without a file-system event. */
  readonly pollMs?: number;
  /** Quiet time after the last event before checking, so a burst of events (a symlink swap) is one reload. */
  readonly debounceMs?: number;
  /** A change is checked at most this long after its first event, however busy the directory. */
  readonly maxWaitMs?: number;
}

export const DEFAULT_POLL_MS = 5_000;
export const DEFAULT_DEBOUNCE_MS = 250;
export const DEFAULT_MAX_WAIT_MS = 1_000;

type FileRead = ReturnType<typeof readConfigFile>;

/**
 * Calls `onReload` with the new load result each time the file's content changes (not when it is only
 * touched). `servedText` is the text the running config was parsed from: a change written after that
 * read and before this call is reloaded too. The caller swaps the config on success and keeps the old
 * one on failure. `onReload` runs from a timer, so it must not throw.
 */
export function watchConfigFile(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  onReload: (result: LoadResult) => void,
  options: WatchOptions = {},
  servedText?: string,
): FileWatch {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  return watchFiles<FileRead>(
    {
      paths: [file],
      read: () => readConfigFile(file),
      keyOf: contentKey,
      baseline: servedText === undefined ? readConfigFile(file) : ok(servedText),
      onChange: (read) => onReload(read.ok ? parseConfigText(read.value, file, env) : read),
    },
    {
      pollMs: options.pollMs ?? DEFAULT_POLL_MS,
      debounceMs,
      maxWaitMs: Math.max(debounceMs, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS),
    },
  );
}

/** What a reload compares: the content hash, or one marker for "unreadable" so that state is reported once. */
function contentKey(read: FileRead): string {
  return read.ok ? createHash('sha256').update(read.value).digest('hex') : 'unreadable';
}
