import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE64_PIECE_CHARS, encodePatch } from './patch-encoding.ts';
import type { Operation } from './patch.ts';

describe('encodePatch', () => {
  const decode = (patch: string): unknown => JSON.parse(Buffer.from(patch, 'base64').toString('utf8'));
  const add = (value: unknown): Operation[] => [{ op: 'add', path: '/metadata/annotations/a', value }];
  const manyEnvs = (count: number, value: string): Operation[] =>
    Array.from({ length: count }, (_, index) => ({
      op: 'add',
      path: `/spec/containers/${index % 100}/env/-`,
      value: { name: `ENV_${index}`, value },
    }));
  const cases: { name: string; operations: Operation[] }[] = [
    { name: 'ASCII', operations: add('plain') },
    { name: 'multi-byte UTF-8 and a surrogate pair', operations: add('日本語 é 🚀 \u2028') },
    { name: 'one value larger than the reused buffer', operations: add('ü'.repeat(200_000)) },
    // Multi-byte characters on every boundary of the JSON pieces and of the base64 slices.
    { name: 'many operations across several pieces', operations: manyEnvs(3_000, 'é🚀x') },
    { name: 'many operations beyond the reused buffer', operations: manyEnvs(6_000, '日本語'.repeat(20)) },
  ];
  for (const { name, operations } of cases) {
    it(`is the base64 of the UTF-8 JSON, in pieces: ${name}`, () => {
      const expected = Buffer.from(JSON.stringify(operations), 'utf8').toString('base64');
      const encoded = encodePatch(operations);
      assert.equal(encoded.base64, expected);
      assert.equal(encoded.pieces.join(''), expected);
      assert.deepEqual(decode(encoded.base64), operations);
      for (const piece of encoded.pieces) assert.ok(piece.length <= BASE64_PIECE_CHARS);
      assert.equal(encoded.pieces.length, Math.ceil(expected.length / BASE64_PIECE_CHARS));
    });
  }

  it('gives each call its own text although the buffer is reused', () => {
    const first = encodePatch(add('first, and longer than the second'));
    const second = encodePatch(add('second'));
    assert.deepEqual(decode(first.base64), add('first, and longer than the second'));
    assert.deepEqual(decode(second.base64), add('second'));
  });
});
