import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelSelector, type LabelSelector } from './selectors.ts';

function parse(text: string): LabelSelector {
  const result = parseLabelSelector(text);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(text)} to parse, got: ${result.error}`);
  return result.value;
}

const labels = { app: 'middleware-redis', tier: 'backend', version: '12', 'app.kubernetes.io/name': 'web' };

const matchCases: ReadonlyArray<{
  selector: string;
  labels: Record<string, string> | undefined;
  matches: boolean;
}> = [
  { selector: 'app=middleware-redis', labels, matches: true },
  { selector: 'app==middleware-redis', labels, matches: true },
  { selector: 'app=other', labels, matches: false },
  { selector: 'app!=other', labels, matches: true },
  { selector: 'app!=middleware-redis', labels, matches: false },
  { selector: 'missing!=x', labels, matches: true },
  { selector: 'app in (a, middleware-redis)', labels, matches: true },
  { selector: 'app in (a,b)', labels, matches: false },
  { selector: 'missing in (a,b)', labels, matches: false },
  { selector: 'app notin (a,b)', labels, matches: true },
  { selector: 'app notin (middleware-redis)', labels, matches: false },
  { selector: 'missing notin (a)', labels, matches: true },
  { selector: 'tier', labels, matches: true },
  { selector: 'missing', labels, matches: false },
  { selector: '!missing', labels, matches: true },
  { selector: '!tier', labels, matches: false },
  { selector: 'app=middleware*', labels, matches: true },
  { selector: 'app=*redis', labels, matches: true },
  { selector: 'app=mid*re*s', labels, matches: true },
  { selector: 'app=*', labels, matches: true },
  { selector: 'missing=*', labels, matches: false },
  { selector: 'app==middleware*', labels, matches: true },
  { selector: 'app=web*', labels, matches: false },
  { selector: 'app!=middleware*', labels, matches: false },
  { selector: 'app!=web*', labels, matches: true },
  { selector: 'missing!=web*', labels, matches: true },
  { selector: 'app=middleware.redis', labels, matches: false },
  { selector: 'app=middleware*,tier=backend', labels, matches: true },
  { selector: 'app=middleware*,tier=frontend', labels, matches: false },
  { selector: '  app = middleware-redis ,  tier in ( backend )  ', labels, matches: true },
  { selector: 'app.kubernetes.io/name=web', labels, matches: true },
  { selector: 'version>5', labels, matches: true },
  { selector: 'version<5', labels, matches: false },
  { selector: 'app>5', labels, matches: false },
  { selector: 'empty=', labels: { empty: '' }, matches: true },
  { selector: 'empty=', labels, matches: false },
  { selector: 'empty in ()', labels: { empty: '' }, matches: true },
  { selector: 'empty in (a,)', labels: { empty: '' }, matches: true },
  { selector: 'app=x', labels: undefined, matches: false },
  { selector: '!app', labels: undefined, matches: true },
  { selector: 'constructor', labels: {}, matches: false },
  { selector: 'toString!=x', labels: {}, matches: true },
  { selector: '', labels, matches: true },
  // Upstream's glob syntax (gobwas/glob), which its own tests use: `?`, classes, ranges, groups, escapes.
  { selector: 'app=middleware-[abr]edis', labels, matches: true },
  { selector: 'app=middleware-[abc]edis', labels, matches: false },
  { selector: 'app=middleware-?edis', labels, matches: true },
  { selector: 'app=middleware-?', labels, matches: false },
  { selector: 'app=*-[q-s]ed??', labels, matches: true },
  { selector: 'app=*-[a-c]*', labels, matches: false },
  { selector: 'app={middleware}-*', labels, matches: true },
  { selector: 'tier=back\\end', labels, matches: true },
  { selector: 'tier!=[ab]ackend', labels, matches: false },
  { selector: 'version=1?', labels, matches: true },
  { selector: 'version=?', labels, matches: false },
  { selector: '   ', labels: undefined, matches: true },
];

describe('parseLabelSelector matching', () => {
  for (const c of matchCases) {
    it(`${JSON.stringify(c.selector)} ${c.matches ? 'matches' : 'does not match'} ${JSON.stringify(c.labels)}`, () => {
      assert.equal(parse(c.selector).matches(c.labels), c.matches);
    });
  }
});

describe('parseLabelSelector glob values', () => {
  it('matches a hostile 300 KB label at once: linear time, no backtracking RegExp (SPEC §15)', () => {
    const selector = parse('app=*-backend-*-v2,tier!=*-x-*-y');
    const value = '-backend-'.repeat(33_000);
    assert.equal(selector.matches({ app: value, tier: value }), false);
    assert.equal(selector.matches({ app: `${value}-v2`, tier: value }), true);
  });
});

describe('parseLabelSelector requirements', () => {
  it('keeps the parsed requirements as data, in order', () => {
    assert.deepEqual(parse('a=1,b!=2,c in (x,y),d notin (z),e,!f').requirements, [
      { key: 'a', operator: 'equals', values: ['1'] },
      { key: 'b', operator: 'not-equals', values: ['2'] },
      { key: 'c', operator: 'in', values: ['x', 'y'] },
      { key: 'd', operator: 'not-in', values: ['z'] },
      { key: 'e', operator: 'exists', values: [] },
      { key: 'f', operator: 'does-not-exist', values: [] },
    ]);
  });

  it('keeps the source text', () => {
    assert.equal(parse(' app = a ').source, ' app = a ');
  });

  it('treats the empty selector as matching everything with no requirements', () => {
    assert.deepEqual(parse('').requirements, []);
  });
});

const errorCases: ReadonlyArray<{ selector: string; message: RegExp }> = [
  { selector: 'app in (', message: /^unexpected end of selector at position 8 in "app in \(": expected/ },
  { selector: 'app (a)', message: /^unexpected "\(" at position 4 in "app \(a\)": expected an operator/ },
  { selector: 'app=a,', message: /unexpected end of selector at position 6 .*expected a label key/ },
  { selector: ',app', message: /unexpected "," at position 0/ },
  { selector: 'app in a', message: /unexpected "a" at position 7 .*expected "\(" to start the value list/ },
  { selector: 'app in (a b)', message: /unexpected "b" at position 10 .*expected "," or "\)"/ },
  { selector: 'app in (a', message: /unexpected end of selector at position 9/ },
  { selector: 'app=a b', message: /unexpected "b" at position 6 .*expected "," or the end of the selector/ },
  { selector: '!app=a', message: /unexpected "=" at position 4/ },
  { selector: '!', message: /unexpected end of selector at position 1 .*expected a label key after "!"/ },
  { selector: 'in=a', message: /unexpected "in" at position 0/ },
  { selector: 'Bad Key=a', message: /unexpected "Key" at position 4/ },
  { selector: 'bad*key=a', message: /at position 0: "bad\*key" is not a valid label key/ },
  { selector: '-app=a', message: /"-app" is not a valid label key/ },
  { selector: `${'k'.repeat(64)}=a`, message: /is not a valid label key/ },
  { selector: 'app in (-a)', message: /at position 8: "-a" is not a valid label value/ },
  { selector: `app in (${'v'.repeat(64)})`, message: /is not a valid label value/ },
  { selector: 'app in (a*)', message: /"a\*" is not a valid label value: .*globs are allowed only after =/ },
  { selector: 'app=web-[ab', message: /"web-\[ab" is not a valid glob: "\[" at position 4 .* is not closed/ },
  { selector: 'app=web-]', message: /"\]" at position 4 .* closes no "\["/ },
  { selector: 'app=web-{a', message: /"\{" at position 4 .* is not closed/ },
  { selector: 'app=web\\', message: /escapes nothing/ },
  { selector: 'app=[z-a]', message: /the range "z-a" .* ends before it starts/ },
  // As in Kubernetes' lexer (and so upstream's), "!" is a symbol that ends the value: a negated class never
  // reaches the glob whole.
  { selector: 'app=[!ab]', message: /at position 4: "\[" is not a valid glob: .* is not closed/ },
  { selector: 'app=a=b', message: /unexpected "=" at position 5/ },
  { selector: 'version>x', message: /"x" is not an integer/ },
  { selector: 'version>', message: /unexpected end of selector .*expected an integer/ },
  { selector: 'app=(', message: /unexpected "\(" at position 4 .*expected a label value/ },
];

const cautionCases: ReadonlyArray<{ selector: string; caution: RegExp | undefined }> = [
  { selector: 'app=-a', caution: /"app=-a" never holds: no label value can match it/ },
  { selector: `app=${'v'.repeat(64)}`, caution: /never holds/ },
  { selector: 'app=-*', caution: /never holds/ },
  { selector: 'app!=x@y*', caution: /"app!=x@y\*" holds for every pod/ },
  { selector: 'app=*-x_', caution: /never holds/ },
  { selector: 'app=web-?', caution: undefined },
  { selector: 'app=', caution: undefined },
  { selector: 'app=[-]*', caution: undefined },
];

// Upstream did not hold glob values to the label-value rules; a value no label can have is kept (its meaning
// is plain) and reported, never refused.
describe('parseLabelSelector cautions', () => {
  for (const c of cautionCases) {
    it(`${c.caution ? 'cautions about' : 'accepts quietly'} ${JSON.stringify(c.selector)}`, () => {
      const cautions = parse(c.selector).cautions;
      if (c.caution === undefined) assert.deepEqual(cautions, []);
      else {
        assert.equal(cautions.length, 1);
        assert.match(cautions[0] ?? '', c.caution);
      }
    });
  }
});

describe('parseLabelSelector errors', () => {
  for (const c of errorCases) {
    it(`rejects ${JSON.stringify(c.selector)} naming the position and the problem`, () => {
      const result = parseLabelSelector(c.selector);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, c.message);
    });
  }
});
