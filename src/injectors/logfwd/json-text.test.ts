import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitJsonArrayElements } from './json-text.ts';

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
});
