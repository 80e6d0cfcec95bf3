import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exceedsJsonDepth } from './json-depth.ts';

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** The reading the scanner must give: every byte in turn, a backslash in a string skipping the next. */
function byteByByte(text: Uint8Array, limit: number): boolean {
  if (text.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const byte = text[i];
    if (inString) {
      if (byte === 0x5c) i += 1;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth -= 1;
  }
  return false;
}

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
    ['brackets after a string that ends in an escaped backslash count', '{"a":"\\\\","b":[[1]]}', 2, true],
    [
      'an escaped backslash then an escaped quote keep the string open',
      '{"a":"\\\\\\"[[[[","b":1}',
      1,
      false,
    ],
    ['a string that never closes hides what follows', '{"a":"[[[[', 1, false],
  ];
  for (const [name, text, limit, expected] of cases) {
    it(name, () => assert.equal(exceedsJsonDepth(bytes(text), limit), expected));
  }

  it('gives the byte-by-byte reading on random mixes of brackets, quotes and backslashes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', 'é'), { maxLength: 60 }),
        (parts) => {
          const text = bytes(parts.join(''));
          for (const limit of [0, 1, 2, 3])
            assert.equal(exceedsJsonDepth(text, limit), byteByByte(text, limit));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds a 500,000-level array in one pass', () => {
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    assert.equal(exceedsJsonDepth(bytes(deep)), true);
    assert.equal(exceedsJsonDepth(bytes(deep), 500_000), false);
  });
});
