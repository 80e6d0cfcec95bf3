import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { admissionsIn, parseLogLine } from './operator-log.ts';

const admission = (namespace: string, msg = 'admission') =>
  JSON.stringify({
    level: 'info',
    msg,
    uid: 'u',
    namespace,
    pod: 'p-',
    result: 'mutated',
    dryRun: false,
    injected: [],
    warnings: [],
  });

describe('parseLogLine', () => {
  const cases = [
    { line: '{"level":"info","msg":"hi"}', expected: { level: 'info', msg: 'hi' } },
    { line: 'plain text from tsx', expected: undefined },
    { line: '{"cut off', expected: undefined },
    { line: '[1,2]', expected: undefined },
  ];
  for (const { line, expected } of cases) {
    it(`reads ${JSON.stringify(line)}`, () => assert.deepStrictEqual(parseLogLine(line), expected));
  }
});

describe('admissionsIn', () => {
  it('keeps the admission and failed-open lines of one namespace', () => {
    const entries = [
      admission('a'),
      admission('b'),
      admission('a', 'admission failed open: pod admitted unchanged'),
      JSON.stringify({ msg: 'configuration reloaded', namespace: 'a' }),
    ].map((line) => parseLogLine(line)!);
    assert.deepStrictEqual(
      admissionsIn(entries, 'a').map((entry) => entry.msg),
      ['admission', 'admission failed open: pod admitted unchanged'],
    );
  });
});
