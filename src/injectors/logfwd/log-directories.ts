// Where a logfile lives (SPEC §7): the directory the app and the sidecar must share to see the same file.
// Paths are POSIX and absolute; cleaning follows Go's path.Clean, as the upstream operator did.

import { GLOB_CHARACTERS } from './constants.ts';

export const ROOT_DIRECTORY = '/';

/** Go `path.Clean` for an absolute path: no empty, `.` or `..` segments, no trailing slash (except `/`). */
export function cleanAbsolutePath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

export interface LogFileLocation {
  /** The cleaned directory that holds every file the logfile pattern can match. */
  readonly directory: string;
  /** What follows that directory in the pattern: a file name, or a glob. */
  readonly pattern: string;
}

/**
 * The path up to the first glob character, cut back to the last `/`, cleaned:
 * `/var/log/app/*.log` → `/var/log/app`, `/var/log/1.log` → `/var/log`, `/var/log/**\/x.log` → `/var/log`.
 */
export function locateLogFile(logfile: string): LogFileLocation {
  const globAt = logfile.search(GLOB_CHARACTERS);
  const literal = globAt === -1 ? logfile : logfile.slice(0, globAt);
  const cut = literal.lastIndexOf('/');
  return {
    directory: cleanAbsolutePath(logfile.slice(0, cut + 1)),
    pattern: logfile.slice(cut + 1),
  };
}

export function logDirectory(logfile: string): string {
  return locateLogFile(logfile).directory;
}

/** Whether the pattern can match files below its directory's subdirectories (`*\/x.log`, `**`). */
export function reachesSubdirectories(location: LogFileLocation): boolean {
  return location.pattern.includes('/') || location.pattern.includes('**');
}

/** True when `inner` is strictly below `outer`; both cleaned. */
export function isInside(inner: string, outer: string): boolean {
  return outer === ROOT_DIRECTORY ? inner !== ROOT_DIRECTORY : inner.startsWith(`${outer}/`);
}

/** True when `path` is `directory` or below it; both cleaned. */
export function isAtOrInside(path: string, directory: string): boolean {
  return path === directory || isInside(path, directory);
}

/**
 * The directories to share, first-seen order: duplicates removed, and a directory inside another one
 * dropped, because mounting the outer one already shares it.
 */
export function coveringDirectories(directories: readonly string[]): string[] {
  const unique = [...new Set(directories)];
  return unique.filter((directory) => !unique.some((other) => isInside(directory, other)));
}
