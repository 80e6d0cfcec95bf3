import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getAnnotation, isAnnotationFalse, parseGoBool } from './annotations.ts';
import type { Pod } from './types.ts';

const KEY = 'admission.datakit/enabled';

describe('parseGoBool', () => {
  const cases: ReadonlyArray<[string, boolean | undefined]> = [
    ['1', true],
    ['t', true],
    ['T', true],
    ['TRUE', true],
    ['true', true],
    ['True', true],
    ['0', false],
    ['f', false],
    ['F', false],
    ['FALSE', false],
    ['false', false],
    ['False', false],
    ['', undefined],
    ['yes', undefined],
    ['no', undefined],
    ['tRUE', undefined],
    [' false', undefined],
    ['false ', undefined],
    ['00', undefined],
  ];
  for (const [value, expected] of cases) {
    it(`reads ${JSON.stringify(value)} as ${String(expected)}`, () =>
      assert.equal(parseGoBool(value), expected));
  }
});

describe('isAnnotationFalse', () => {
  const cases: ReadonlyArray<{
    annotations: Record<string, string> | undefined;
    expected: boolean;
    why: string;
  }> = [
    { annotations: { [KEY]: 'false' }, expected: true, why: 'is true for "false"' },
    { annotations: { [KEY]: '0' }, expected: true, why: 'is true for "0"' },
    { annotations: { [KEY]: 'F' }, expected: true, why: 'is true for "F"' },
    { annotations: { [KEY]: 'true' }, expected: false, why: 'is false for "true"' },
    { annotations: { [KEY]: 'no' }, expected: false, why: 'counts an unparsable value as true' },
    { annotations: { [KEY]: '' }, expected: false, why: 'counts an empty value as true' },
    { annotations: { other: 'false' }, expected: false, why: 'counts a missing annotation as true' },
    { annotations: undefined, expected: false, why: 'counts missing annotations as true' },
  ];
  for (const c of cases) {
    it(c.why, () => assert.equal(isAnnotationFalse(c.annotations, KEY), c.expected));
  }

  it('ignores inherited properties such as "constructor"', () => {
    assert.equal(isAnnotationFalse({}, 'constructor'), false);
  });
});

describe('getAnnotation', () => {
  const cases: ReadonlyArray<{ pod: Pod; key: string; expected: string | undefined; why: string }> = [
    { pod: { metadata: { annotations: { [KEY]: 'x' } } }, key: KEY, expected: 'x', why: 'returns the value' },
    {
      pod: { metadata: { annotations: { [KEY]: '' } } },
      key: KEY,
      expected: '',
      why: 'returns an empty value',
    },
    {
      pod: { metadata: { annotations: {} } },
      key: KEY,
      expected: undefined,
      why: 'is undefined when absent',
    },
    { pod: { metadata: {} }, key: KEY, expected: undefined, why: 'is undefined without annotations' },
    { pod: {}, key: KEY, expected: undefined, why: 'is undefined without metadata' },
    {
      pod: { metadata: { annotations: {} } },
      key: 'toString',
      expected: undefined,
      why: 'ignores inherited keys',
    },
    {
      pod: JSON.parse('{"metadata":{"annotations":{"k":5}}}') as Pod,
      key: 'k',
      expected: undefined,
      why: 'ignores a non-string value in raw JSON',
    },
  ];
  for (const c of cases) {
    it(c.why, () => assert.equal(getAnnotation(c.pod, c.key), c.expected));
  }
});
