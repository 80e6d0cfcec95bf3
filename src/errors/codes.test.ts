import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from './codes.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(REPO, 'src');
const ERRORS_FOLDER = join(SRC, 'errors');
const CODES_DOC = join(REPO, 'docs', 'error-codes.md');

/** Every non-test TypeScript file of src/ outside src/errors: where a code counts as used. */
function sourceTexts(): string[] {
  const texts: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== ERRORS_FOLDER) walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        texts.push(readFileSync(path, 'utf8'));
      }
    }
  };
  walk(SRC);
  return texts;
}

/** The codes of the documentation table: the first cell of every row, when it is a code. */
function documentedCodes(): string[] {
  return readFileSync(CODES_DOC, 'utf8')
    .split('\n')
    .map((line) => /^\|\s*`(DKO_ERR_[A-Z0-9_]+)`\s*\|/.exec(line)?.[1])
    .filter((code): code is string => code !== undefined);
}

describe('ErrorCode', () => {
  it('spells every code DKO_ERR_ followed by its key', () => {
    for (const [key, code] of Object.entries(ErrorCode)) assert.equal(code, `DKO_ERR_${key}`);
  });

  it('has only codes that something in src/ reports', () => {
    const texts = sourceTexts();
    assert.ok(texts.length > 100, `found only ${texts.length} files under ${relative(REPO, SRC)}`);
    const unused = Object.keys(ErrorCode).filter(
      (key) => !texts.some((text) => new RegExp(`\\bErrorCode\\.${key}\\b`).test(text)),
    );
    assert.deepEqual(unused, [], 'remove these codes, or report them where the error happens');
  });

  it('is documented in docs/error-codes.md, one row per code, nothing more', () => {
    const documented = documentedCodes();
    assert.deepEqual(
      [...documented].sort(),
      [...new Set(documented)].sort(),
      'a code has two rows in docs/error-codes.md',
    );
    assert.deepEqual([...documented].sort(), Object.values(ErrorCode).sort());
  });
});
