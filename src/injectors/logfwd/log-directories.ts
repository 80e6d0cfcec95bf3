// Where a logfile lives (SPEC §7): the directory the app and the sidecar must share to see the same file.
// Paths are POSIX and absolute; cleaning follows Go's path.Clean, as the upstream operator did.

import { GLOB_CHARACTERS } from './constants.ts';
import { PathTree, PathWalk } from './path-tree.ts';

export const ROOT_DIRECTORY = '/';

/** A `/` followed by nothing, `.` or `..`, then a `/` or the end: an empty, `.` or `..` segment. */
const UNCLEAN_SEGMENT = /\/\.{0,2}(?:\/|$)/;

function isClean(path: string): boolean {
  return path.startsWith('/') && path !== ROOT_DIRECTORY && !UNCLEAN_SEGMENT.test(path);
}

/** Go `path.Clean` for an absolute path: no empty, `.` or `..` segments, no trailing slash (except `/`). */
export function cleanAbsolutePath(path: string): string {
  // Most paths are clean already, or for one trailing slash (a directory cut from a logfile path): one
  // linear scan, no array of segments.
  if (isClean(path)) return path;
  if (path.length > 1 && path.endsWith('/')) {
    const trimmed = path.slice(0, -1);
    if (isClean(trimmed)) return trimmed;
  }
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

/**
 * The directories to share, first-seen order: duplicates removed, and a directory inside another one
 * dropped, because mounting the outer one already shares it (`isInside`).
 *
 * Linear in the total length of the paths (SPEC §15): the directories go into a PathTree, and one is
 * dropped when the walk down to it passes another. (Comparing every pair is quadratic in their number;
 * looking each ancestor up in a Set re-hashes every prefix, quadratic in the depth.) "/" holds every other
 * path, which the tree, built on `inner.startsWith(outer + "/")`, does not know: it is handled apart.
 */
export function coveringDirectories(directories: readonly string[]): string[] {
  const unique = [...new Set(directories)];
  const hasRoot = unique.includes(ROOT_DIRECTORY);
  const tree = new PathTree(() => ({ member: false }));
  for (const directory of unique) tree.insert(directory).data.member = true;
  const walk = new PathWalk<{ member: boolean }>();
  return unique.filter((directory) => {
    if (hasRoot && directory !== ROOT_DIRECTORY) return false;
    tree.walk(directory, walk);
    return !walk.nodes().some((node) => node.data.member);
  });
}
