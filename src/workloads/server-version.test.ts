import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubernetesVersion, resolveOfflineServerVersion } from './server-version.ts';

describe('offline server version', () => {
  const versions: readonly [string, { major: number; minor: number } | undefined][] = [
    ['1.30', { major: 1, minor: 30 }],
    ['v1.29.4', { major: 1, minor: 29 }],
    ['v1.28.3-eks-4f4795d', { major: 1, minor: 28 }],
    ['1', undefined],
    ['latest', undefined],
  ];
  for (const [text, expected] of versions) {
    it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parseKubernetesVersion(text), expected));
  }

  it('takes the flag over the config', () => {
    assert.deepEqual(resolveOfflineServerVersion('1.28', '1.30'), {
      ok: true,
      value: { major: 1, minor: 28 },
    });
  });

  it('takes the config when no flag is given, and "auto" as unknown', () => {
    assert.deepEqual(resolveOfflineServerVersion(undefined, '1.30'), {
      ok: true,
      value: { major: 1, minor: 30 },
    });
    assert.deepEqual(resolveOfflineServerVersion(undefined, 'auto'), { ok: true, value: undefined });
  });

  it('names the flag when its value is not a version', () => {
    const resolved = resolveOfflineServerVersion('newest', 'auto');
    assert.equal(resolved.ok, false);
    if (!resolved.ok)
      assert.match(resolved.error, /^--kubernetes-version: "newest" is not "auto" or a Kubernetes version/);
  });
});
