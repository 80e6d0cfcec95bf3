// Glob matching for label-selector values (SPEC §4, §12.1), with the syntax the Go operator accepted
// (github.com/gobwas/glob without separators): `*` any run of characters, `?` any one character, `[abc]` /
// `[a-z]` one character of a class, `[!abc]` one character not in it, `{abc}` a group (upstream allowed
// alternatives `{a,b}`, but a selector's `,` ends the requirement, so only a one-alternative group can ever
// reach here) and `\x` the character x itself.
//
// Any user who may create a Pod controls its labels, so matching must cost time linear in the value's
// length for a fixed pattern (SPEC §15); a backtracking regular expression such as `^a.*b.*c$` does not
// (a 100 KB value took seconds). No RegExp here: the pattern is split at `*` into segments of fixed width,
// the first must be a prefix, the last a suffix (not overlapping the prefix), and the ones between are found
// left to right. Taking the leftmost occurrence of each middle segment is always right: it leaves the most
// room for the segments after it, and a `*` between two segments accepts whatever lies between them.
//
// Characters are UTF-16 code units; label values are ASCII, so this differs from Go's runes only for values
// the API server refuses anyway.

import { err, ok, type Result } from '../errors/result.ts';

export const GLOB_STAR = '*';
const GLOB_SPECIAL = new Set(['*', '?', '[', ']', '{', '}', '\\']);

/** One position of a segment: a literal character, any character, or a character class. */
type CharTest = { readonly literal: string } | { readonly test: (unit: string) => boolean };

/**
 * A piece of the pattern between two `*`: it matches exactly `length` characters.
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

// A segment with `?` or a class is tried at each position: its width is fixed by the config, so the cost
// stays linear in the value's length.
function mixedSegment(tests: readonly CharTest[]): Segment {
  const matchesAt = (text: string, at: number): boolean => {
    for (const [offset, test] of tests.entries()) {
      const unit = text.charAt(at + offset);
      if ('literal' in test ? unit !== test.literal : !test.test(unit)) return false;
    }
    return true;
  };
  return {
    length: tests.length,
    matchesAt,
    indexIn: (text, from) => {
      for (let at = from; at + tests.length <= text.length; at += 1) if (matchesAt(text, at)) return at;
      return -1;
    },
  };
}

function segmentOf(tests: readonly CharTest[]): Segment {
  const literals = tests.map((test) => ('literal' in test ? test.literal : undefined));
  if (literals.every((unit) => unit !== undefined)) return literalSegment(literals.join(''));
  return mixedSegment(tests);
}

/** The pattern as parsed: segments between stars, and the literal characters it requires. */
export interface ParsedGlob {
  /** The runs of fixed-width tests between `*`; one run (no star) means the glob matches a fixed width. */
  readonly runs: readonly (readonly CharTest[])[];
  /** Every literal character of the pattern, in order, for callers that check what could ever match. */
  readonly literals: string;
  readonly hasWildcard: boolean;
}

/** Parses a glob, or says what is wrong with it (an unclosed `[` or `{`, a trailing `\`, an empty class). */
export function parseGlob(pattern: string): Result<ParsedGlob, string> {
  const runs: CharTest[][] = [[]];
  let literals = '';
  let hasWildcard = false;
  let groupStart = -1;
  let i = 0;
  const current = (): CharTest[] => runs[runs.length - 1] ?? [];
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === '\\') {
      if (i + 1 >= pattern.length)
        return err(`"\\" at the end of ${JSON.stringify(pattern)} escapes nothing`);
      current().push({ literal: pattern.charAt(i + 1) });
      literals += pattern.charAt(i + 1);
      i += 2;
    } else if (ch === '*') {
      hasWildcard = true;
      runs.push([]);
      i += 1;
    } else if (ch === '?') {
      hasWildcard = true;
      current().push({ test: () => true });
      i += 1;
    } else if (ch === '[') {
      const parsed = parseClass(pattern, i);
      if (!parsed.ok) return parsed;
      hasWildcard = true;
      current().push({ test: parsed.value.test });
      i = parsed.value.end;
    } else if (ch === '{') {
      if (groupStart !== -1) return err(`nested "{" at position ${i} in ${JSON.stringify(pattern)}`);
      groupStart = i;
      i += 1;
    } else if (ch === '}') {
      if (groupStart === -1) return err(`"}" at position ${i} in ${JSON.stringify(pattern)} closes no "{"`);
      groupStart = -1;
      i += 1;
    } else if (ch === ']') {
      return err(`"]" at position ${i} in ${JSON.stringify(pattern)} closes no "["`);
    } else {
      current().push({ literal: ch });
      literals += ch;
      i += 1;
    }
  }
  if (groupStart !== -1)
    return err(`"{" at position ${groupStart} in ${JSON.stringify(pattern)} is not closed`);
  return ok({ runs, literals, hasWildcard });
}

/** `[abc]`, `[a-z]`, `[!abc]` starting at `start`: its test and the index after its `]`. */
function parseClass(
  pattern: string,
  start: number,
): Result<{ test: (unit: string) => boolean; end: number }, string> {
  let i = start + 1;
  const negated = pattern.charAt(i) === '!';
  if (negated) i += 1;
  const singles = new Set<string>();
  const ranges: Array<readonly [string, string]> = [];
  while (i < pattern.length && pattern.charAt(i) !== ']') {
    const low = pattern.charAt(i);
    if (pattern.charAt(i + 1) === '-' && i + 2 < pattern.length && pattern.charAt(i + 2) !== ']') {
      const high = pattern.charAt(i + 2);
      if (high < low) {
        return err(`the range "${low}-${high}" in ${JSON.stringify(pattern)} ends before it starts`);
      }
      ranges.push([low, high]);
      i += 3;
    } else {
      singles.add(low);
      i += 1;
    }
  }
  if (i >= pattern.length) return err(`"[" at position ${start} in ${JSON.stringify(pattern)} is not closed`);
  if (singles.size === 0 && ranges.length === 0) {
    return err(`the class at position ${start} in ${JSON.stringify(pattern)} is empty`);
  }
  const inClass = (unit: string): boolean =>
    singles.has(unit) || ranges.some(([low, high]) => unit >= low && unit <= high);
  return ok({ test: (unit) => unit !== '' && inClass(unit) !== negated, end: i + 1 });
}

/** Whether the text has any glob syntax; otherwise it only matches itself. */
export function isGlob(pattern: string): boolean {
  for (const ch of pattern) if (GLOB_SPECIAL.has(ch)) return true;
  return false;
}

/**
 * A matcher for a parsed glob, built once (at config load) and run on every pod. Its cost is linear in the
 * value's length for a fixed pattern.
 */
export function globMatcher(glob: ParsedGlob): (value: string) => boolean {
  const segments = glob.runs.map(segmentOf);
  const first = segments[0] ?? literalSegment('');
  if (segments.length === 1) return (value) => value.length === first.length && first.matchesAt(value, 0);
  const last = segments[segments.length - 1] ?? literalSegment('');
  // An empty middle segment (from `**`) matches anywhere: it constrains nothing.
  const middle = segments.slice(1, -1).filter((segment) => segment.length > 0);
  const minimumLength = first.length + last.length + middle.reduce((sum, segment) => sum + segment.length, 0);

  return (value) => {
    if (value.length < minimumLength) return false;
    const end = value.length - last.length;
    if (!first.matchesAt(value, 0) || !last.matchesAt(value, end)) return false;
    let from = first.length;
    for (const segment of middle) {
      const at = segment.indexIn(value, from);
      // A later occurrence would end even further right, so the first one decides.
      if (at === -1 || at + segment.length > end) return false;
      from = at + segment.length;
    }
    return true;
  };
}

/**
 * A matcher for the glob `pattern`. A pattern that does not parse (see parseGlob) matches only itself; callers
 * that need to report it call parseGlob first.
 */
export function compileGlob(pattern: string): (value: string) => boolean {
  const parsed = parseGlob(pattern);
  return parsed.ok ? globMatcher(parsed.value) : (value) => value === pattern;
}
