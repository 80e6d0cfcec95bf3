import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readServiceAccountNamespace,
  resolveOperatorNamespace,
  type OperatorNamespaceInputs,
} from './operator-namespace.ts';

describe('resolveOperatorNamespace', () => {
  const cases: readonly [string, OperatorNamespaceInputs, string][] = [
    [
      'prefers the configured namespace',
      { configured: 'ops', env: { POD_NAMESPACE: 'pod-ns' }, serviceAccountNamespace: 'sa-ns' },
      'ops',
    ],
    [
      'uses POD_NAMESPACE when the config leaves it empty',
      { configured: '', env: { POD_NAMESPACE: 'pod-ns' }, serviceAccountNamespace: 'sa-ns' },
      'pod-ns',
    ],
    [
      "uses the service account's namespace when neither is set",
      { configured: '', env: {}, serviceAccountNamespace: 'sa-ns\n' },
      'sa-ns',
    ],
    [
      'skips blank values',
      { configured: '  ', env: { POD_NAMESPACE: '' }, serviceAccountNamespace: ' ' },
      'datakit',
    ],
    ['falls back to datakit', { configured: '', env: {}, serviceAccountNamespace: undefined }, 'datakit'],
  ];
  for (const [name, inputs, expected] of cases) {
    it(name, () => assert.equal(resolveOperatorNamespace(inputs), expected));
  }
});

describe('readServiceAccountNamespace', () => {
  it('reads the file, and gives undefined when there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dko-sa-'));
    try {
      const file = join(dir, 'namespace');
      await writeFile(file, 'monitoring');
      assert.equal(readServiceAccountNamespace(file), 'monitoring');
      assert.equal(readServiceAccountNamespace(join(dir, 'absent')), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
