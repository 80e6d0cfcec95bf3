import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capWarnings, isMoreWarningsLine, moreWarningsLine } from './warning-caps.ts';
import { MAX_RESPONSE_WARNINGS, MAX_WARNINGS_ANNOTATION_BYTES } from './limits.ts';

const bytes = (list: readonly string[]) => Buffer.byteLength(JSON.stringify(list));

describe('capWarnings', () => {
  it('keeps a short list as it is', () => {
    assert.deepEqual(capWarnings(['a', 'b']), ['a', 'b']);
  });

  it('cuts a long list to the byte budget and says how many were left out', () => {
    const warnings = Array.from(
      { length: 3000 },
      (_, i) => `logfiles[${i}]: "x.log" is not an absolute path`,
    );
    const capped = capWarnings(warnings, MAX_WARNINGS_ANNOTATION_BYTES, Infinity);
    assert.ok(bytes(capped) <= MAX_WARNINGS_ANNOTATION_BYTES, `${bytes(capped)} bytes`);
    const kept = capped.length - 1;
    assert.equal(capped.at(-1), moreWarningsLine(3000 - kept));
    assert.deepEqual(capped.slice(0, -1), warnings.slice(0, kept));
  });

  it('keeps at most the count limit', () => {
    const warnings = Array.from({ length: 50 }, (_, i) => `w${i}`);
    const capped = capWarnings(warnings);
    assert.equal(capped.length, MAX_RESPONSE_WARNINGS + 1);
    assert.equal(capped.at(-1), '… and 30 more warnings');
  });

  it('truncates a single warning that alone is larger than the budget', () => {
    const capped = capWarnings(['x'.repeat(100_000)], 1024);
    assert.equal(capped.length, 1);
    assert.ok(bytes(capped) <= 1024);
    assert.ok(capped[0]?.endsWith('…'));
  });

  it('counts bytes, not characters', () => {
    const capped = capWarnings(
      Array.from({ length: 100 }, () => '警告'.repeat(50)),
      4096,
      Infinity,
    );
    assert.ok(bytes(capped) <= 4096, `${bytes(capped)} bytes`);
  });

  it('recognises its own summary line and nothing else', () => {
    assert.equal(isMoreWarningsLine(moreWarningsLine(1)), true);
    assert.equal(isMoreWarningsLine(moreWarningsLine(7)), true);
    assert.equal(isMoreWarningsLine('container "app" … and more'), false);
  });
});
