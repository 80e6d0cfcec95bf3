import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeJsonSyntaxError, findJsonErrorOffset } from './json-syntax.ts';

function parseError(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be invalid JSON`);
}

describe('describeJsonSyntaxError', () => {
  const cases: readonly [name: string, text: string, line: number, column: number, message: RegExp][] = [
    ['a missing value', '{\n  "a": 1,\n  "b": }\n', 3, 8, /^Unexpected token '}'$/],
    ['a trailing comma', '{\n  "a": 1,\n}', 3, 1, /property name/],
    ['a missing colon', '{"a" 1}', 1, 6, /':'/],
    ['an unterminated document', '{"a": [1, 2', 1, 12, /after array element|end of JSON input/],
    ['an empty document', '', 1, 1, /end of JSON input/],
    ['text after the value', '{}\n\nx', 3, 1, /after the JSON value$/],
    ['a misspelt literal', '{"a":\n  tru}', 2, 6, /^Unexpected token '}'$/],
    ['a raw newline inside a string', '{"a": "x\ny"}', 1, 9, /control character/],
    ['a bad escape', '{"a": "\\q"}', 1, 8, /escaped character|string/i],
    ['a leading zero', '[01]', 1, 3, /./],
  ];
  for (const [name, text, line, column, message] of cases) {
    it(`locates ${name} at ${line}:${column}`, () => {
      const problem = describeJsonSyntaxError(text, parseError(text));
      assert.equal(problem.line, line);
      assert.equal(problem.column, column);
      assert.match(problem.message, message);
      assert.doesNotMatch(problem.message, /position \d+|is not valid JSON/);
    });
  }
});

describe('findJsonErrorOffset', () => {
  const valid = ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}} ', '"x"', '0'];
  for (const text of valid) {
    it(`finds nothing wrong in ${JSON.stringify(text)}`, () =>
      assert.equal(findJsonErrorOffset(text), undefined));
  }

  it('agrees with JSON.parse about what is valid', () => {
    for (const text of ['{"a":1}', '{"a":1,}', '[1,]', '{"a":01}', '[1e]', '["\\x"]', '{"a":"b"}x']) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      assert.equal(findJsonErrorOffset(text) === undefined, parses, text);
    }
  });
});
