import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileNamespacePattern } from './namespace-pattern.ts';

const matchCases: ReadonlyArray<{ pattern: string; namespace: string; matches: boolean }> = [
  { pattern: '*', namespace: 'default', matches: true },
  { pattern: '*', namespace: 'kube-system', matches: true },
  { pattern: 'testns', namespace: 'testns', matches: true },
  { pattern: 'testns', namespace: 'testns2', matches: false },
  { pattern: 'testns', namespace: 'my-testns', matches: false },
  { pattern: 'default', namespace: 'default-foo', matches: false },
  { pattern: 'team-.*', namespace: 'team-a', matches: true },
  { pattern: 'team-.*', namespace: 'my-team-a', matches: false },
  { pattern: 'a|b', namespace: 'a', matches: true },
  { pattern: 'a|b', namespace: 'ab', matches: false },
  { pattern: 'a|b', namespace: 'b', matches: true },
  { pattern: '^prod$', namespace: 'prod', matches: true },
  { pattern: 'dev-[0-9]+', namespace: 'dev-12', matches: true },
  { pattern: 'dev-[0-9]+', namespace: 'dev-12x', matches: false },
  { pattern: '.*', namespace: 'anything', matches: true },
  // Go's leading flag groups, which Node 20's RegExp lacks.
  { pattern: '(?i)Team-.*', namespace: 'team-a', matches: true },
  { pattern: '(?i)Team-.*', namespace: 'my-team-a', matches: false },
  { pattern: '(?is)prod', namespace: 'PROD', matches: true },
];

describe('compileNamespacePattern', () => {
  for (const c of matchCases) {
    it(`${JSON.stringify(c.pattern)} ${c.matches ? 'matches' : 'does not match'} ${c.namespace}`, () => {
      const result = compileNamespacePattern(c.pattern);
      assert.ok(result.ok);
      assert.equal(result.value.matches(c.namespace), c.matches);
      assert.equal(result.value.source, c.pattern);
    });
  }

  it('rejects an empty pattern and suggests "*"', () => {
    const result = compileNamespacePattern('');
    assert.deepEqual(result, {
      ok: false,
      error:
        'namespace pattern must not be empty (the Go operator matched every namespace with it); ' +
        'use "*" for every namespace',
    });
  });

  for (const pattern of ['*foo', 'team-(', 'a)|(b', '[z-a]']) {
    it(`rejects the invalid regular expression ${JSON.stringify(pattern)} with the JavaScript error text`, () => {
      const result = compileNamespacePattern(pattern);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.match(result.error, /is not a valid regular expression \(Invalid regular expression: .+\)/);
        assert.ok(result.error.includes(JSON.stringify(pattern)));
      }
    });
  }
});
