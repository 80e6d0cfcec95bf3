import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitJsonArrayElements } from './json-text.ts';

const JSON_WHITESPACE: ReadonlySet<string> = new Set([' ', '\t', '\n', '\r']);

/** The implementation before it was made linear (char by char), kept as the oracle. */
function referenceSplitJsonArrayElements(text: string): string[] {
  const elements: string[] = [];
  let current = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const char of text) {
    if (inString) {
      current += char;
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (JSON_WHITESPACE.has(char)) continue;
    if (char === '[' || char === '{') {
      depth += 1;
      if (depth === 1) continue;
    } else if (char === ']' || char === '}') {
      depth -= 1;
      if (depth === 0) {
        if (current !== '') elements.push(current);
        current = '';
        continue;
      }
    } else if (char === ',' && depth === 1) {
      elements.push(current);
      current = '';
      continue;
    } else if (char === '"') {
      inString = true;
    }
    current += char;
  }
  return elements;
}

describe('splitJsonArrayElements', () => {
  const cases = [
    { name: 'gives nothing for an empty array', text: ' [ ] ', elements: [] },
    {
      name: 'compacts whitespace outside strings only',
      text: '[ { "a" : "x y\\t" ,\n "b": [1, 2] } ]',
      elements: ['{"a":"x y\\t","b":[1,2]}'],
    },
    {
      name: 'splits at top-level commas only',
      text: '[{"a":[1,2]},"s,t",3]',
      elements: ['{"a":[1,2]}', '"s,t"', '3'],
    },
    {
      name: 'keeps escaped quotes and brackets inside strings',
      text: '["a\\"]", {"k":"}\\\\"}]',
      elements: ['"a\\"]"', '{"k":"}\\\\"}'],
    },
    {
      name: 'keeps numbers, integer-like keys and duplicate keys as written',
      text: '[{"b":1.0,"2":1e3,"b":12345678901234567890}]',
      elements: ['{"b":1.0,"2":1e3,"b":12345678901234567890}'],
    },
  ];
  for (const { name, text, elements } of cases) {
    it(name, () => assert.deepEqual(splitJsonArrayElements(text), elements));
  }

  it('gives, for any JSON array, elements that parse back to the array items', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.constantFrom(0, 2, '\t'), (items, indent) => {
        const text = JSON.stringify(items, null, indent);
        const elements = splitJsonArrayElements(text);
        assert.deepEqual(
          elements.map((element) => JSON.parse(element) as unknown),
          JSON.parse(text),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('gives exactly what the character-by-character version gave, whitespace and escapes included', () => {
    const whitespace = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r'), maxLength: 2 });
    const text = fc
      .tuple(fc.array(fc.jsonValue({ stringUnit: 'binary' })), fc.constantFrom(0, 1, '\t', ' \r\n'))
      .map(([items, indent]) => JSON.stringify(items, null, indent));
    fc.assert(
      fc.property(text, whitespace, whitespace, (json, before, after) => {
        const padded = `${before}${json}${after}`;
        assert.deepEqual(splitJsonArrayElements(padded), referenceSplitJsonArrayElements(padded));
      }),
      { numRuns: 2_000 },
    );
    for (const tricky of [
      '["\\\\"]',
      '["a\\\\\\"b", "\\\\" ]',
      '[ "" , "x y" ]',
      '[[],{}, [ ] ]',
      '["\ud800 x", "\udc00"]',
    ]) {
      assert.deepEqual(splitJsonArrayElements(tricky), referenceSplitJsonArrayElements(tricky), tricky);
    }
  });

  it('compacts a long element in linear time', () => {
    const text = `[{"z": "${'x'.repeat(200_000)}", "a": [${'1, '.repeat(50_000)}1]}]`;
    assert.deepEqual(splitJsonArrayElements(text), referenceSplitJsonArrayElements(text));
  });
});
