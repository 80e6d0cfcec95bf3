// Hot reload of the config file (SPEC §2). Kubernetes updates a mounted ConfigMap by swapping a `..data`
// symlink and editors save by renaming a temporary file, so watching the file itself would miss changes:
// we watch its DIRECTORY, and also poll in case the watch is unavailable (inotify limits, network
// filesystems). Either only schedules a check; a reload happens only when the content hash has changed.

import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { parseConfigText, readConfigFile, type LoadResult } from './load.ts';

export interface WatchOptions {
  /** How often the content is checked even without a file-system event. */
  readonly pollMs?: number;
  /** Quiet time after the last event before checking, so a burst of events (a symlink swap) is one reload. */
  readonly debounceMs?: number;
}

export const DEFAULT_POLL_MS = 5_000;
export const DEFAULT_DEBOUNCE_MS = 250;

/**
 * Calls `onReload` with the new load result each time the file's content changes (not when it is only
 * touched). The caller swaps the config holder on success and keeps the old config on failure. `onReload`
 * runs from a timer, so it must not throw.
 */
export function watchConfigFile(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  onReload: (result: LoadResult) => void,
  options: WatchOptions = {},
): { close(): void } {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let lastKey = contentKey(readConfigFile(file));
  let debounce: NodeJS.Timeout | undefined;
  let closed = false;

  const check = (): void => {
    debounce = undefined;
    if (closed) return;
    const read = readConfigFile(file);
    const key = contentKey(read);
    if (key === lastKey) return;
    lastKey = key;
    onReload(read.ok ? parseConfigText(read.text, file, env) : read);
  };

  const schedule = (): void => {
    if (closed) return;
    if (debounce !== undefined) clearTimeout(debounce);
    debounce = setTimeout(check, debounceMs);
    debounce.unref();
  };

  const watcher = watchDirectory(dirname(file), schedule);
  const poll = setInterval(schedule, pollMs);
  poll.unref();

  return {
    close(): void {
      closed = true;
      clearInterval(poll);
      if (debounce !== undefined) clearTimeout(debounce);
      watcher?.close();
    },
  };
}

/** What a reload compares: the content hash, or one marker for "unreadable" so that state is reported once. */
function contentKey(read: ReturnType<typeof readConfigFile>): string {
  return read.ok ? createHash('sha256').update(read.text).digest('hex') : 'unreadable';
}

/** A directory watch, or undefined when the platform refuses one (then polling alone keeps us current). */
function watchDirectory(directory: string, onEvent: () => void): FSWatcher | undefined {
  try {
    const watcher = watch(directory, { persistent: false }, onEvent);
    // An error (the directory removed, inotify exhausted) ends the watch; polling carries on.
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}
