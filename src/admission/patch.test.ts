import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fastJsonPatch from 'fast-json-patch';
import { shareValue } from '../podspec/shared-values.ts';
import {
  buildPatch,
  escapePointerToken,
  operationsText,
  writeOperationsText,
  type Operation,
} from './patch.ts';

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
    // Past the bound on kept tokens, and again for a kept one.
    for (let i = 0; i < 100; i += 1) assert.equal(escapePointerToken(`k${i}/~`), `k${i}~1~0`);
    assert.equal(escapePointerToken('a/b~c'), 'a~1b~0c');
  });
});

describe('operationsText', () => {
  const sharedEnv = shareValue({
    name: 'DD_AGENT_HOST',
    valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } },
  });
  const sharedVolume = shareValue({ name: 'datakit-auto-instrument', emptyDir: {} });
  // Index 2 is a hole.
  const holey: unknown[] = [sharedEnv, undefined];
  holey[3] = 3;
  const cases: { name: string; operations: Operation[] }[] = [
    { name: 'no operations', operations: [] },
    {
      name: 'add, replace and remove',
      operations: [
        { op: 'add', path: '/spec/volumes/1', value: { name: 'v', emptyDir: {} } },
        { op: 'replace', path: '/metadata/labels/a~1b', value: 'x"y\\z' },
        { op: 'remove', path: '/spec/containers/0/env/3' },
      ],
    },
    { name: 'a shared value', operations: [{ op: 'add', path: '/spec/volumes/0', value: sharedVolume }] },
    {
      name: 'a new list of shared and own values',
      operations: [
        { op: 'add', path: '/spec/containers/0/env', value: [{ name: 'A', value: '1' }, sharedEnv] },
      ],
    },
    {
      name: 'a list with nothing shared',
      operations: [{ op: 'add', path: '/l', value: [1, 'two', null, {}] }],
    },
    {
      name: 'a list longer than the element-wise bound, with a shared value',
      operations: [
        { op: 'add', path: '/l', value: [sharedEnv, ...Array.from({ length: 100 }, (_, i) => i)] },
      ],
    },
    {
      name: 'a list with a hole and an undefined element (JSON null)',
      operations: [{ op: 'add', path: '/l', value: holey }],
    },
    {
      name: 'a replace whose value has no JSON text (the field is left out)',
      operations: [{ op: 'replace', path: '/l/1', value: undefined }],
    },
    {
      name: 'scalars',
      operations: [0, true, 'é🚀\u2028', null].map((value) => ({ op: 'add', path: '/x', value })),
    },
  ];
  for (const { name, operations } of cases) {
    it(`is JSON.stringify's text: ${name}`, () => {
      assert.equal(operationsText(operations), JSON.stringify(operations));
    });
  }

  it('is given in pieces of whole operations, each at least the piece length but the last', () => {
    const operations: Operation[] = Array.from({ length: 50 }, (_, index) => ({
      op: 'add',
      path: `/spec/containers/0/env/${index}`,
      value: { name: `E${index}`, value: 'v'.repeat(index) },
    }));
    const pieces: string[] = [];
    writeOperationsText(operations, 200, (piece) => pieces.push(piece));
    assert.equal(pieces.join(''), JSON.stringify(operations));
    assert.ok(pieces.length > 5, `${pieces.length} pieces`);
    for (const piece of pieces.slice(0, -1)) {
      assert.ok(piece.length >= 200, `a piece of ${piece.length} units`);
      assert.ok(piece.endsWith('}'), 'a piece ends with an operation');
    }
  });
});
