// The folder-layer lint rule, run through ESLint's own Linter on small sources at made-up paths.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Linter } from 'eslint';
import { folderLayersRule } from './folder-layers.js';

const root = resolve(import.meta.dirname, '..');

function problems(file: string, source: string): string[] {
  const linter = new Linter({ configType: 'flat', cwd: root });
  const messages = linter.verify(
    source,
    [
      {
        files: ['**/*.js', '**/*.ts'],
        plugins: { local: { rules: { 'folder-layers': folderLayersRule } } },
        rules: { 'local/folder-layers': 'error' },
        languageOptions: { sourceType: 'module', ecmaVersion: 'latest' },
      },
    ],
    resolve(root, file),
  );
  return messages.map((message) => message.message);
}

describe('folder-layers lint rule', () => {
  const cases: readonly [name: string, file: string, source: string, expected: RegExp | undefined][] = [
    ['an import from a lower layer', 'src/mutation/a.js', "import { x } from '../config/b.ts';", undefined],
    ['an import within the folder', 'src/mutation/a.js', "import { x } from './b.ts';", undefined],
    ['a package import', 'src/mutation/a.js', "import { x } from 'pino';", undefined],
    [
      'an import from a higher layer',
      'src/kube/a.js',
      "import { x } from '../server/b.ts';",
      /src\/kube\/ may not import src\/server\/ \(a higher layer\)/,
    ],
    [
      'an import from the same layer',
      'src/http/a.js',
      "import { x } from '../text/b.ts';",
      /src\/http\/ may not import src\/text\/ \(a folder of the same layer\)/,
    ],
    [
      'a re-export from a higher layer',
      'src/config/a.js',
      "export { x } from '../cli/b.ts';",
      /may not import src\/cli\//,
    ],
    [
      'a dynamic import from a higher layer',
      'src/mutation/a.js',
      "await import('../app/b.ts');",
      /may not import src\/app\//,
    ],
    [
      'a folder without a layer',
      'src/mutation/a.js',
      "import { x } from '../brand-new/b.ts';",
      /src\/brand-new\/ has no layer/,
    ],
    ['a test reaching up', 'src/kube/a.test.ts', "import { x } from '../server/b.ts';", undefined],
    ['a file outside src', 'test/http/a.js', "import { x } from '../../src/app/b.ts';", undefined],
  ];
  for (const [name, file, source, expected] of cases) {
    it(`${expected ? 'reports' : 'allows'} ${name}`, () => {
      const found = problems(file, source);
      if (expected === undefined) assert.deepEqual(found, []);
      else {
        assert.equal(found.length, 1, found.join('\n'));
        assert.match(found[0] ?? '', expected);
      }
    });
  }
});
