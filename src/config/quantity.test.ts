import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isContainerResourceName, parseQuantity } from './quantity.ts';

describe('parseQuantity', () => {
  const cases: readonly [text: string, value: number | undefined][] = [
    ['100m', 0.1],
    ['1', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['2.', 2],
    ['64Mi', 64 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1k', 1000],
    ['1M', 1e6],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1E', 1e18],
    ['5e-1', 0.5],
    ['+1', 1],
    ['', undefined],
    ['-1', undefined],
    ['1e', undefined],
    ['128MB', undefined],
    ['1 Gi', undefined],
    ['1mi', undefined],
    ['Mi', undefined],
  ];
  for (const [text, value] of cases) {
    it(`reads ${JSON.stringify(text)} as ${value}`, () => assert.equal(parseQuantity(text), value));
  }
});

describe('isContainerResourceName', () => {
  const cases: readonly [name: string, expected: boolean][] = [
    ['cpu', true],
    ['memory', true],
    ['ephemeral-storage', true],
    ['hugepages-2Mi', true],
    ['nvidia.com/gpu', true],
    ['example.com/Foo_Bar.1', true],
    ['CPU', false],
    ['gpu', false],
    ['hugepages-', false],
    ['kubernetes.io/foo', false],
    ['node.kubernetes.io/foo', false],
    ['Example.com/gpu', false],
    ['example.com/', false],
    [`example.com/${'a'.repeat(64)}`, false],
  ];
  for (const [name, expected] of cases) {
    it(`${expected ? 'accepts' : 'rejects'} ${JSON.stringify(name)}`, () =>
      assert.equal(isContainerResourceName(name), expected));
  }
});
