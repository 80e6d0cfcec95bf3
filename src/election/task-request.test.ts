import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTaskElectionRequest } from './task-request.ts';

describe('parseTaskElectionRequest', () => {
  it('reads what DataKit sends', () => {
    const parsed = parseTaskElectionRequest(
      JSON.stringify({
        namespace: 'prod',
        id: 'node-1',
        timestamp: 1_700_000_000_000,
        application_inputs: { kubernetes: 2, mysql: 1 },
        running_inputs: ['mysql'],
      }),
    );
    assert.deepEqual(parsed, {
      ok: true,
      value: {
        namespace: 'prod',
        id: 'node-1',
        tasks: new Map([
          ['kubernetes', 2],
          ['mysql', 1],
        ]),
        running: ['mysql'],
      },
    });
  });

  it('ignores unknown fields and treats null as absent', () => {
    const parsed = parseTaskElectionRequest(
      '{"id":"a","namespace":null,"application_inputs":null,"extra":true}',
    );
    assert.deepEqual(parsed, { ok: true, value: { namespace: '', id: 'a', tasks: new Map(), running: [] } });
  });

  const malformed: readonly [string, string, RegExp][] = [
    ['invalid JSON', '{"id":', /JSON/],
    ['an empty body', '', /JSON/],
    ['a non-object body', '[1]', /must be a JSON object, got an array/],
    ['a non-string id', '{"id": 7}', /^id: expected a string, got number 7$/],
    [
      'a fractional count',
      '{"id":"a","application_inputs":{"x":1.5}}',
      /application_inputs\.x: expected a non-negative integer/,
    ],
    ['a negative count', '{"id":"a","application_inputs":{"x":-1}}', /application_inputs\.x/],
    [
      'inputs given as a list',
      '{"id":"a","application_inputs":["x"]}',
      /application_inputs: expected an object/,
    ],
    ['a string timestamp', '{"id":"a","timestamp":"now"}', /timestamp: expected an integer/],
    ['running inputs that are not strings', '{"id":"a","running_inputs":[1]}', /running_inputs/],
  ];
  for (const [what, body, reason] of malformed) {
    it(`refuses ${what} with a reason`, () => {
      const parsed = parseTaskElectionRequest(body);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, reason);
    });
  }
});
