import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exceedsJsonDepth } from './json-depth.ts';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('exceedsJsonDepth', () => {
  const cases: [string, string, number, boolean][] = [
    ['a flat object', '{"a":1}', 1, false],
    ['two levels over a limit of one', '{"a":[1]}', 1, true],
    ['exactly at the limit', '[[[]]]', 3, false],
    ['one over the limit', '[[[[]]]]', 3, true],
    ['brackets inside strings do not count', '{"a":"[[[[{{{{"}', 1, false],
    ['an escaped quote does not end the string', '{"a":"\\"[[[["}', 1, false],
    ['an escaped backslash before the closing quote', '{"a":"\\\\"}', 1, false],
    ['multi-byte characters', '{"名前":"[値]"}', 1, false],
    ['siblings do not add up', '[[],[],[],[]]', 2, false],
  ];
  for (const [name, text, limit, expected] of cases) {
    it(name, () => assert.equal(exceedsJsonDepth(bytes(text), limit), expected));
  }

  it('finds a 500,000-level array in one pass', () => {
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    assert.equal(exceedsJsonDepth(bytes(deep)), true);
    assert.equal(exceedsJsonDepth(bytes(deep), 500_000), false);
  });
});
