import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { warningsOf } from './kube-client.ts';

describe('warningsOf', () => {
  const cases = [
    { title: 'no Warning header', raw: ['Content-Type', 'application/json'], expected: [] },
    {
      title: 'one warning per header, in order',
      raw: ['Warning', '299 - "first, with a comma"', 'Audit-Id', 'x', 'warning', '299 - "second"'],
      expected: ['first, with a comma', 'second'],
    },
    {
      title: 'escaped quotes and backslashes',
      raw: ['Warning', '299 - "a \\"b\\" c\\\\d"'],
      expected: ['a "b" c\\d'],
    },
    { title: 'a header not in RFC 7234 form, as it is', raw: ['Warning', 'odd'], expected: ['odd'] },
  ];
  for (const { title, raw, expected } of cases) {
    it(`reads ${title}`, () => assert.deepStrictEqual(warningsOf(raw), expected));
  }
});
