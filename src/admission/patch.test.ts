import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fastJsonPatch from 'fast-json-patch';
import { buildPatch, encodePatch, escapePointerToken, type Operation } from './patch.ts';

describe('buildPatch', () => {
  const cases: { name: string; before: object; after: object }[] = [
    { name: 'nothing changed', before: { a: 1 }, after: { a: 1 } },
    { name: 'a key added', before: { a: 1 }, after: { a: 1, b: { c: [1] } } },
    { name: 'a value replaced', before: { a: { b: 'x' } }, after: { a: { b: 'y' } } },
    { name: 'elements appended', before: { l: [1, 2] }, after: { l: [1, 2, 3, { x: 1 }] } },
    {
      name: 'elements reordered',
      before: { l: [{ n: 'a' }, { n: 'b' }] },
      after: { l: [{ n: 'b' }, { n: 'a' }, { n: 'c' }] },
    },
    { name: 'a key removed', before: { a: 1, b: 2 }, after: { a: 1 } },
    { name: 'an object became an array', before: { a: { x: 1 } }, after: { a: [1] } },
    {
      name: 'keys that need escaping',
      before: { m: {} },
      after: { m: { 'admission.datakit/injected': '{}', 'a~b': 1 } },
    },
  ];
  for (const { name, before, after } of cases) {
    it(`gives the generic diff's operations: ${name}`, () => {
      assert.deepEqual(buildPatch(before, after), fastJsonPatch.compare(before, after));
      const applied = fastJsonPatch.applyPatch(
        structuredClone(before),
        buildPatch(before, after) as never,
      ).newDocument;
      assert.deepEqual(applied, after);
    });
  }

  it('does not visit what the mutated pod shares with the received one', () => {
    const shared = {};
    Object.defineProperty(shared, 'trap', {
      enumerable: true,
      get() {
        throw new Error('an untouched subtree was visited');
      },
    });
    const before = { untouched: shared, spec: { list: [1] } };
    const after = { untouched: shared, spec: { list: [1, 2] } };
    assert.deepEqual(buildPatch(before, after), [{ op: 'add', path: '/spec/list/1', value: 2 }]);
  });

  it('escapes JSON pointer tokens per RFC 6901', () => {
    assert.equal(escapePointerToken('a/b~c'), 'a~1b~0c');
    assert.equal(escapePointerToken('plain'), 'plain');
  });
});

describe('encodePatch', () => {
  const decode = (patch: string): unknown => JSON.parse(Buffer.from(patch, 'base64').toString('utf8'));
  const add = (value: unknown): Operation[] => [{ op: 'add', path: '/metadata/annotations/a', value }];
  const cases: { name: string; operations: Operation[] }[] = [
    { name: 'ASCII', operations: add('plain') },
    { name: 'multi-byte UTF-8 and a surrogate pair', operations: add('日本語 é 🚀 \u2028') },
    { name: 'a patch larger than the reused buffer', operations: add('ü'.repeat(200_000)) },
  ];
  for (const { name, operations } of cases) {
    it(`is the base64 of the UTF-8 JSON: ${name}`, () => {
      const expected = Buffer.from(JSON.stringify(operations), 'utf8').toString('base64');
      assert.equal(encodePatch(operations), expected);
      assert.deepEqual(decode(encodePatch(operations)), operations);
    });
  }

  it('gives each call its own text although the buffer is reused', () => {
    const first = encodePatch(add('first, and longer than the second'));
    const second = encodePatch(add('second'));
    assert.deepEqual(decode(first), add('first, and longer than the second'));
    assert.deepEqual(decode(second), add('second'));
  });
});
