import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileGlob, isGlob } from './glob.ts';

/**
 * The matcher the label selectors used before, a backtracking RegExp, kept as the oracle; extended with `?`
 * as any one character and `[ab]` as a class (the patterns the properties generate have no other syntax).
 */
function referenceGlobRegExp(pattern: string): (value: string) => boolean {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = pattern
    .split(/(\*|\?|\[ab\])/)
    .map((part) => (part === '*' ? '.*' : part === '?' ? '.' : part === '[ab]' ? '[ab]' : escape(part)))
    .join('');
  const regexp = new RegExp(`^${source}$`, 's');
  return (value) => regexp.test(value);
}

describe('compileGlob', () => {
  const cases: ReadonlyArray<{ pattern: string; value: string; matches: boolean }> = [
    { pattern: 'abc', value: 'abc', matches: true },
    { pattern: 'abc', value: 'abcd', matches: false },
    { pattern: '', value: '', matches: true },
    { pattern: '', value: 'a', matches: false },
    { pattern: '*', value: '', matches: true },
    { pattern: '*', value: 'anything at all', matches: true },
    { pattern: '**', value: '', matches: true },
    { pattern: '**', value: 'ab', matches: true },
    { pattern: 'a*', value: 'a', matches: true },
    { pattern: 'a*', value: 'abc', matches: true },
    { pattern: 'a*', value: 'ba', matches: false },
    { pattern: 'a*', value: '', matches: false },
    { pattern: '*a', value: 'a', matches: true },
    { pattern: '*a', value: 'bca', matches: true },
    { pattern: '*a', value: 'ab', matches: false },
    { pattern: 'a*a', value: 'a', matches: false },
    { pattern: 'a*a', value: 'aa', matches: true },
    { pattern: 'a*a', value: 'aba', matches: true },
    { pattern: 'ab*ba', value: 'aba', matches: false },
    { pattern: 'ab*ba', value: 'abba', matches: true },
    { pattern: 'ab*ba', value: 'ab-ba', matches: true },
    { pattern: 'a**b', value: 'ab', matches: true },
    { pattern: '*-*', value: '-', matches: true },
    { pattern: '*-*', value: 'ab', matches: false },
    { pattern: 'mid*re*s', value: 'middleware-redis', matches: true },
    { pattern: 'mid*re*s', value: 'middleware-redix', matches: false },
    // The middle segment must fit between the prefix and the suffix, not overlap either.
    { pattern: 'a*b*c', value: 'abc', matches: true },
    { pattern: 'ab*b*bc', value: 'abbc', matches: false },
    { pattern: 'ab*b*bc', value: 'abbbc', matches: true },
    { pattern: '*aa*', value: 'a-a', matches: false },
    { pattern: '*-backend-*-v2', value: 'team-backend-api-v2', matches: true },
    { pattern: '*-backend-*-v2', value: 'team-backend-api-v3', matches: false },
    // Every character is literal except `*`: no RegExp meaning leaks through.
    { pattern: 'a.b*', value: 'axb', matches: false },
    { pattern: 'a.b*', value: 'a.bc', matches: true },
    { pattern: '*\n*', value: 'x\ny', matches: true },
    // Upstream's syntax beyond `*` (gobwas/glob): `?`, classes, ranges, negation, groups and escapes.
    { pattern: 'web-?', value: 'web-1', matches: true },
    { pattern: 'web-?', value: 'web-', matches: false },
    { pattern: 'web-?', value: 'web-12', matches: false },
    { pattern: 'middleware-[abc]', value: 'middleware-b', matches: true },
    { pattern: 'middleware-[abc]', value: 'middleware-d', matches: false },
    { pattern: 'v[0-9][0-9]', value: 'v42', matches: true },
    { pattern: 'v[0-9][0-9]', value: 'v4x', matches: false },
    { pattern: 'v[!0-9]', value: 'vx', matches: true },
    { pattern: 'v[!0-9]', value: 'v4', matches: false },
    { pattern: 'v[!0-9]', value: 'v', matches: false },
    { pattern: '[a-c-]x', value: '-x', matches: true },
    { pattern: '*[0-9]-v?', value: 'api7-v2', matches: true },
    { pattern: '*[0-9]-v?', value: 'api-v2', matches: false },
    { pattern: 'a*?b*c', value: 'axbc', matches: true },
    { pattern: 'a*?b*c', value: 'abc', matches: false },
    { pattern: '{web}-*', value: 'web-1', matches: true },
    { pattern: '\\*', value: '*', matches: true },
    { pattern: '\\*', value: 'x', matches: false },
    { pattern: 'a\\?', value: 'a?', matches: true },
    { pattern: 'a\\?', value: 'ab', matches: false },
  ];
  for (const { pattern, value, matches } of cases) {
    it(`${JSON.stringify(pattern)} ${matches ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
      assert.equal(compileGlob(pattern)(value), matches);
    });
  }

  it('tells a glob from a literal', () => {
    assert.equal(isGlob('a*'), true);
    assert.equal(isGlob('a'), false);
  });

  it('answers like the RegExp it replaces, for any pattern and value', () => {
    const text = (units: readonly string[]) => fc.string({ unit: fc.constantFrom(...units), maxLength: 10 });
    fc.assert(
      fc.property(text(['a', 'b', '-', '*']), text(['a', 'b', '-', '*', '\n']), (pattern, value) => {
        assert.equal(compileGlob(pattern)(value), referenceGlobRegExp(pattern)(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers like the RegExp for patterns with ? and classes', () => {
    const text = (units: readonly string[]) =>
      fc.array(fc.constantFrom(...units), { maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text(['a', 'b', '-', '*', '?', '[ab]']), text(['a', 'b', '-', 'c']), (pattern, value) => {
        assert.equal(compileGlob(pattern)(value), referenceGlobRegExp(pattern)(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers like the RegExp when the value is built to match parts of the pattern', () => {
    const piece = fc.string({ unit: fc.constantFrom('a', 'b', '-'), maxLength: 3 });
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 5 }), fc.array(piece), (parts, fillers) => {
        const pattern = parts.join('*');
        const value = parts.map((part, index) => `${part}${fillers[index] ?? ''}`).join('');
        assert.equal(compileGlob(pattern)(value), referenceGlobRegExp(pattern)(value));
      }),
      { numRuns: 10_000 },
    );
  });

  it('gives the answer for a hostile 300 KB value at once (the RegExp backtracked for 30 s)', () => {
    const value = '-backend-'.repeat(300_000 / 9);
    assert.equal(compileGlob('*-backend-*-v2')(value), false);
    assert.equal(compileGlob('*-backend-*-v2')(`${value}-v2`), true);
    assert.equal(compileGlob('a*a*a*a*b')('a'.repeat(300_000)), false);
    assert.equal(compileGlob('*[ab]?[ab]-*x')('a'.repeat(300_000)), false);
  });
});
