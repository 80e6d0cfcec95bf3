import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bearerTokenOf,
  rememberVerdicts,
  type AccessDecision,
  type CallerReviewer,
} from './caller-access.ts';

describe('bearerTokenOf', () => {
  const cases: { header: string | string[] | undefined; expected: string | undefined }[] = [
    { header: undefined, expected: undefined },
    { header: 'Bearer abc.def', expected: 'abc.def' },
    { header: 'bearer   abc ', expected: 'abc' },
    { header: 'Basic dXNlcjpwYXNz', expected: undefined },
    { header: 'Bearer', expected: undefined },
    { header: 'Bearer a b', expected: undefined },
    { header: ['Bearer a', 'Bearer b'], expected: undefined },
    { header: `Bearer ${'x'.repeat(16 * 1024 + 1)}`, expected: undefined },
  ];
  for (const { header, expected } of cases) {
    it(`${JSON.stringify(header)?.slice(0, 40)} → ${String(expected)}`, () =>
      assert.equal(bearerTokenOf(header), expected));
  }
});

describe('rememberVerdicts', () => {
  function counting(decide: (token: string) => AccessDecision): { review: CallerReviewer; calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      review: async (token, attributes) => {
        calls.push(`${token}:${attributes.verb}:${attributes.namespace}`);
        return decide(token);
      },
    };
  }
  const allowed: AccessDecision = { allowed: true, user: 'system:serviceaccount:datakit:datakit' };
  const attributes = { verb: 'list', namespace: '' } as const;

  it('asks once per token and request kind within the TTL, again after it', async () => {
    let now = 0;
    const { review, calls } = counting(() => allowed);
    const remembered = rememberVerdicts(review, () => now, 1_000, 10);
    await remembered('t', attributes);
    await remembered('t', attributes);
    await remembered('t', { verb: 'list', namespace: 'web' });
    assert.equal(calls.length, 2);
    now = 1_001;
    await remembered('t', attributes);
    assert.equal(calls.length, 3);
  });

  it('remembers refusals but not failures to ask', async () => {
    const { review, calls } = counting((token) =>
      token === 'down'
        ? { allowed: false, status: 503, reason: 'API server down' }
        : { allowed: false, status: 401, reason: 'bad token' },
    );
    const remembered = rememberVerdicts(review, () => 0, 1_000, 10);
    await remembered('bad', attributes);
    await remembered('bad', attributes);
    await remembered('down', attributes);
    await remembered('down', attributes);
    assert.deepEqual(calls, ['bad:list:', 'down:list:', 'down:list:']);
  });

  it('keeps at most maxEntries verdicts, forgetting the oldest', async () => {
    const { review, calls } = counting(() => allowed);
    const remembered = rememberVerdicts(review, () => 0, 1_000, 2);
    for (const token of ['a', 'b', 'c', 'b', 'c', 'a']) await remembered(token, attributes);
    assert.deepEqual(
      calls.map((call) => call.split(':')[0]),
      ['a', 'b', 'c', 'a'],
    );
  });

  it('refuses with 503 beyond maxInFlight reviews at once, and asks again once they are done', async () => {
    const releases: (() => void)[] = [];
    const calls: string[] = [];
    const slow: CallerReviewer = (token) =>
      new Promise((resolve) => {
        calls.push(token);
        releases.push(() => resolve(allowed));
      });
    const remembered = rememberVerdicts(slow, () => 0, 1_000, 10, 2);
    const first = remembered('a', attributes);
    const second = remembered('b', attributes);
    const third = await remembered('c', attributes);
    assert.deepEqual(third, {
      allowed: false,
      status: 503,
      reason: 'too many token reviews in progress; try again shortly',
    });
    for (const release of releases) release();
    assert.deepEqual([await first, await second], [allowed, allowed]);
    const again = remembered('c', attributes);
    releases[2]?.();
    assert.deepEqual(await again, allowed);
    assert.deepEqual(calls, ['a', 'b', 'c']);
  });
});
