// Glob matching for label-selector values (SPEC §4): `*` stands for any run of characters, including none.
// Any user who may create a Pod controls its labels, so matching must cost time linear in the value's
// length for a fixed pattern (SPEC §15); a backtracking regular expression such as `^a.*b.*c$` does not
// (a 100 KB value took seconds). No RegExp here: the pattern is split at `*` into segments, the first must
// be a prefix, the last a suffix (not overlapping the prefix), and the ones between are found left to
// right. Taking the leftmost occurrence of each middle segment is always right: it leaves the most room
// for the segments after it, and a `*` between two segments accepts whatever lies between them.
//
// Characters are UTF-16 code units, as the regular expression (without the `u` flag) compared them.

/**
 * A piece of the pattern between two `*`: it matches exactly `length` characters. Today every segment is
 * a literal; a `?` (any one character) or a `[abc]` class would be another kind of fixed-width segment
 * (a per-position character test), and the matching below would stay as it is.
 */
interface Segment {
  readonly length: number;
  /** Whether the segment matches `text` at `at`; the caller ensures `at + length <= text.length`. */
  matchesAt(text: string, at: number): boolean;
  /** The first position at or after `from` where the segment matches `text`, or -1. */
  indexIn(text: string, from: number): number;
}

function literalSegment(literal: string): Segment {
  return {
    length: literal.length,
    matchesAt: (text, at) => text.startsWith(literal, at),
    indexIn: (text, from) => text.indexOf(literal, from),
  };
}

export const GLOB_STAR = '*';

/** Whether the text is a glob, i.e. has a wildcard; otherwise it only matches itself. */
export function isGlob(pattern: string): boolean {
  return pattern.includes(GLOB_STAR);
}

/**
 * A matcher for the glob `pattern`, compiled once (at config load) and run on every pod. Its cost is
 * linear in the value's length for a fixed pattern. A pattern without `*` matches only itself.
 */
export function compileGlob(pattern: string): (value: string) => boolean {
  const parts = pattern.split(GLOB_STAR);
  if (parts.length === 1) return (value) => value === pattern;
  const head = literalSegment(parts[0] ?? '');
  const tail = literalSegment(parts[parts.length - 1] ?? '');
  // An empty middle segment (from `**`) matches anywhere: it constrains nothing.
  const middle = parts
    .slice(1, -1)
    .filter((part) => part !== '')
    .map(literalSegment);
  const minimumLength = head.length + tail.length + middle.reduce((sum, segment) => sum + segment.length, 0);

  return (value) => {
    if (value.length < minimumLength) return false;
    const end = value.length - tail.length;
    if (!head.matchesAt(value, 0) || !tail.matchesAt(value, end)) return false;
    let from = head.length;
    for (const segment of middle) {
      const at = segment.indexIn(value, from);
      // A later occurrence would end even further right, so the first one decides.
      if (at === -1 || at + segment.length > end) return false;
      from = at + segment.length;
    }
    return true;
  };
}
