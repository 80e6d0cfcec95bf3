import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isJsonContentType } from './content-type.ts';

describe('isJsonContentType', () => {
  const cases: readonly [string | undefined, boolean][] = [
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON;charset=UTF-8', true],
    ['  application/json  ', true],
    [undefined, false],
    ['', false],
    ['text/plain', false],
    ['application/jsonx', false],
    ['application/x-www-form-urlencoded', false],
    ['application/json-patch+json', false],
  ];
  for (const [header, expected] of cases) {
    it(`${expected ? 'accepts' : 'refuses'} ${JSON.stringify(header)}`, () => {
      assert.equal(isJsonContentType(header), expected);
    });
  }
});
