// Keeping a value current with files on disk, for the config file and the TLS pair alike. Kubernetes
// updates a mounted ConfigMap or Secret by swapping a `..data` symlink and editors save by renaming a
// temporary file, so the DIRECTORY is watched, not the file; a content poll covers filesystems that
// deliver no events. Either only schedules a check, and a change is reported only when the content
// key differs from the last one reported — starting from the read the caller is serving, so a change
// made between that read and the start of the watch is not lost.

import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface FileWatchTiming {
  /** How often the content is read even without a file-system event. */
  readonly pollMs: number;
  /** Quiet time after the last event before checking, so that a burst of events is one check. */
  readonly debounceMs: number;
  /**
   * A check happens at most this long after the first event of a burst, however busy the directory:
   * a config beside a file that changes constantly is still reloaded.
   */
  readonly maxWaitMs: number;
}

export interface FileWatchSpec<R> {
  readonly paths: readonly string[];
  /** Reads the files; must not throw (an unreadable file is a value too). */
  readonly read: () => R;
  /** Equal keys mean "no change" (a content hash, or one marker for "unreadable"). */
  readonly keyOf: (read: R) => string;
  /** The read the caller serves now. */
  readonly baseline: R;
  /** Runs from a timer: must not throw. */
  readonly onChange: (read: R) => void;
  /** A directory that cannot be watched; polling carries on. */
  readonly onWatchError?: (directory: string, cause: unknown) => void;
}

export interface FileWatch {
  close(): void;
}

/** Kubernetes' atomic writer names its files `..data`, `..2026_12_02_01_41_43.123`, … */
const ATOMIC_WRITER_PREFIX = '..';

export function watchFiles<R>(spec: FileWatchSpec<R>, timing: FileWatchTiming): FileWatch {
  let lastKey = spec.keyOf(spec.baseline);
  let timer: NodeJS.Timeout | undefined;
  let burstStartedAt: number | undefined;
  let closed = false;

  const check = (): void => {
    timer = undefined;
    burstStartedAt = undefined;
    if (closed) return;
    const read = spec.read();
    const key = spec.keyOf(read);
    if (key === lastKey) return;
    lastKey = key;
    spec.onChange(read);
  };

  const schedule = (): void => {
    if (closed) return;
    const now = performance.now();
    burstStartedAt ??= now;
    if (timer !== undefined) clearTimeout(timer);
    const untilMaxWait = timing.maxWaitMs - (now - burstStartedAt);
    timer = setTimeout(check, Math.max(0, Math.min(timing.debounceMs, untilMaxWait)));
    timer.unref();
  };

  const watchers = watchDirectories(spec, schedule);
  const poll = setInterval(() => {
    if (spec.keyOf(spec.read()) !== lastKey) schedule();
  }, timing.pollMs);
  poll.unref();

  return {
    close(): void {
      closed = true;
      clearInterval(poll);
      if (timer !== undefined) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

function watchDirectories<R>(spec: FileWatchSpec<R>, onRelevantEvent: () => void): FSWatcher[] {
  const namesByDirectory = new Map<string, Set<string>>();
  for (const path of spec.paths) {
    const directory = dirname(path);
    const names = namesByDirectory.get(directory) ?? new Set<string>();
    names.add(basename(path));
    namesByDirectory.set(directory, names);
  }
  const watchers: FSWatcher[] = [];
  for (const [directory, names] of namesByDirectory) {
    // Events for other files in the directory (a log beside the config) are not ours.
    const relevant = (name: string | null): boolean =>
      name === null || names.has(name) || name.startsWith(ATOMIC_WRITER_PREFIX);
    try {
      const watcher = watch(directory, { persistent: false }, (_event, name) => {
        if (relevant(name)) onRelevantEvent();
      });
      // An error (the directory removed, inotify exhausted) ends the watch; polling carries on.
      watcher.on('error', (cause) => {
        spec.onWatchError?.(directory, cause);
        watcher.close();
      });
      watchers.push(watcher);
    } catch (cause) {
      spec.onWatchError?.(directory, cause);
    }
  }
  return watchers;
}
