import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileNamespacePattern } from './namespace-pattern.ts';
import { parseLabelSelector } from './selectors.ts';
import {
  findShadowedRules,
  firstApplyingRule,
  firstMatchingRule,
  matchRule,
  type V2AnnotatedRuleTarget,
} from './v2-rules.ts';

function compiled<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function rule(
  index: number,
  namespaces: readonly string[],
  labels: readonly string[],
  check_annotation = false,
  name = '',
): V2AnnotatedRuleTarget & { language: string } {
  return {
    path: `rules[${index}]`,
    name,
    namespace_selectors: namespaces.map((text) => compiled(compileNamespacePattern(text))),
    label_selectors: labels.map((text) => compiled(parseLabelSelector(text))),
    check_annotation,
    language: 'java',
  };
}

describe('matchRule (reference §1.4)', () => {
  const cases = [
    {
      name: 'namespace only: matches its namespace',
      ns: ['default'],
      labels: [],
      pod: ['default', {}],
      hit: true,
    },
    {
      name: 'namespace only: anchored, no substring match',
      ns: ['default'],
      labels: [],
      pod: ['my-default-ns', {}],
      hit: false,
    },
    { name: '"*" matches every namespace', ns: ['*'], labels: [], pod: ['kube-system', {}], hit: true },
    { name: 'OR within the namespace list', ns: ['a', 'b'], labels: [], pod: ['b', {}], hit: true },
    {
      name: 'label only: the namespace is not checked',
      ns: [],
      labels: ['app=web'],
      pod: ['x', { app: 'web' }],
      hit: true,
    },
    {
      name: 'OR within the label list',
      ns: [],
      labels: ['app=a', 'app=b'],
      pod: ['x', { app: 'b' }],
      hit: true,
    },
    {
      name: 'AND across dimensions: both match',
      ns: ['default'],
      labels: ['app=web'],
      pod: ['default', { app: 'web' }],
      hit: true,
    },
    {
      name: 'AND across dimensions: labels fail',
      ns: ['default'],
      labels: ['app=web'],
      pod: ['default', { app: 'db' }],
      hit: false,
    },
    {
      name: 'AND across dimensions: namespace fails',
      ns: ['default'],
      labels: ['app=web'],
      pod: ['prod', { app: 'web' }],
      hit: false,
    },
    { name: 'no selectors at all: never matches', ns: [], labels: [], pod: ['default', {}], hit: false },
    { name: 'label globs', ns: [], labels: ['app=web*'], pod: ['x', { app: 'web-1' }], hit: true },
  ] as const;
  for (const { name, ns, labels, pod, hit } of cases) {
    it(name, () => {
      const [namespace, podLabels] = pod;
      const why = matchRule(rule(0, ns, labels), { namespace, labels: podLabels });
      assert.equal(why !== undefined, hit, why);
    });
  }
});

describe('choosing among rules (reference §1.4, §1.6)', () => {
  const input = { namespace: 'default', labels: { app: 'web' } };
  const key = (): string => 'admission.datakit/java-lib.version';

  it('first match: the first matching rule in array order, whatever comes later', () => {
    const rules = [rule(0, ['prod'], []), rule(1, ['default'], []), rule(2, ['*'], [])];
    assert.equal(firstMatchingRule(rules, input)?.rule.path, 'rules[1]');
  });

  it('annotated match: a check_annotation rule without its annotation is passed over for the next', () => {
    const rules = [rule(0, ['default'], [], true), rule(1, ['*'], [], false)];
    assert.equal(firstApplyingRule(rules, input, {}, key)?.rule.path, 'rules[1]');
  });

  it('annotated match: a check_annotation rule with its annotation (even empty) wins and hands the value over', () => {
    const rules = [rule(0, ['default'], [], true), rule(1, ['*'], [], false)];
    const choice = firstApplyingRule(rules, input, { [key()]: '' }, key);
    assert.equal(choice?.rule.path, 'rules[0]');
    assert.deepEqual(choice?.annotation, { key: key(), value: '' });
  });

  it('annotated match: none when every matching rule needs an annotation the pod lacks', () => {
    assert.equal(firstApplyingRule([rule(0, ['default'], [], true)], input, {}, key), undefined);
  });
});

describe('findShadowedRules', () => {
  const always = (): boolean => true;
  const cases = [
    {
      name: 'same selectors: the later rule is shadowed',
      rules: [rule(0, ['default'], []), rule(1, ['default'], [])],
      found: [{ shadowed: 1, by: 0 }],
    },
    {
      name: '"*" covers any namespace list',
      rules: [rule(0, ['*'], []), rule(1, ['a', 'b'], ['app=x'])],
      found: [{ shadowed: 1, by: 0 }],
    },
    {
      name: "an unset dimension covers the later rule's",
      rules: [rule(0, [], ['app=x']), rule(1, ['default'], ['app=x'])],
      found: [{ shadowed: 1, by: 0 }],
    },
    {
      name: 'a narrower earlier rule does not shadow',
      rules: [rule(0, ['default'], ['app=x']), rule(1, ['default'], [])],
      found: [],
    },
    {
      name: 'different namespaces do not shadow',
      rules: [rule(0, ['a'], []), rule(1, ['b'], [])],
      found: [],
    },
    {
      name: 'a rule that never matches shadows nothing',
      rules: [rule(0, [], []), rule(1, ['a'], [])],
      found: [],
    },
  ];
  for (const { name, rules, found } of cases) {
    it(name, () => assert.deepEqual(findShadowedRules(rules, always), found));
  }

  it('asks the list whether the earlier rule wins whenever both match', () => {
    const rules = [rule(0, ['default'], [], true), rule(1, ['default'], [])];
    assert.deepEqual(
      findShadowedRules(rules, (earlier) => !earlier.check_annotation),
      [],
    );
  });
});
