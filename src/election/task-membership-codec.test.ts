import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMembership, encodeMembership, type MembershipDocument } from './task-membership-codec.ts';

describe('the task-membership codec', () => {
  it('round-trips sections, listing each task set once', () => {
    const shared = new Map([
      ['kubernetes', 2],
      ['mysql', 1],
    ]);
    const document: MembershipDocument = new Map([
      [
        'replica-a',
        {
          seq: 4,
          members: [
            { id: 'node-2', tasks: shared, ageMs: 1200, answered: new Map([['mysql', 3]]) },
            {
              id: 'node-1',
              tasks: new Map([
                ['mysql', 1],
                ['kubernetes', 2],
              ]),
              ageMs: 0,
              answered: new Map(),
            },
          ],
        },
      ],
      ['replica-b', { seq: 1, members: [] }],
    ]);
    const text = encodeMembership(document);
    assert.equal((JSON.parse(text).replicas['replica-a'].sets as unknown[]).length, 1);
    const decoded = decodeMembership(text);
    assert.deepEqual(decoded.get('replica-b'), { seq: 1, members: [] });
    assert.deepEqual(
      decoded
        .get('replica-a')
        ?.members.map((member) => [
          member.id,
          member.ageMs,
          Object.fromEntries(member.tasks),
          Object.fromEntries(member.answered),
        ]),
      [
        ['node-1', 0, { kubernetes: 2, mysql: 1 }, {}],
        ['node-2', 1200, { kubernetes: 2, mysql: 1 }, { mysql: 3 }],
      ],
    );
  });

  it('reads a member without answer counts, as replicas before answer counting publish it', () => {
    const text = '{"v":1,"replicas":{"r":{"seq":1,"sets":[{"mysql":1}],"members":[["a",5,0]]}}}';
    const member = decodeMembership(text).get('r')?.members[0];
    assert.deepEqual(member && [member.id, member.ageMs, member.answered.size], ['a', 5, 0]);
  });

  const unreadable: readonly [string, string | undefined][] = [
    ['no annotation', undefined],
    ['invalid JSON', '{'],
    ['another format version', '{"v":2,"replicas":{}}'],
    [
      'a member pointing at a missing set',
      '{"v":1,"replicas":{"r":{"seq":1,"sets":[],"members":[["a",0,0]]}}}',
    ],
  ];
  for (const [what, text] of unreadable) {
    it(`reads ${what} as no sections at all`, () => {
      assert.equal(decodeMembership(text).size, 0);
    });
  }
});
