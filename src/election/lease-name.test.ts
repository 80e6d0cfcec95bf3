import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildLeaseName } from './lease-name.ts';

describe('buildLeaseName', () => {
  // Expected values computed independently (Python hashlib) from the SPEC §10.1 formula.
  const cases: readonly [string, string, string][] = [
    ['tkn_secret', 'prod', '86c3ae59d0099c108fb12b2911e8a5f69e1d7496a865a51993e0f3e9d3cfa4b8'],
    ['', '', 'af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc'],
    ['ab', 'c', 'f2939f903016e5bb29b1e4a61cdbd376220ca03a24180b39995f2d50f2e0a647'],
    ['a', 'bc', 'b534ce16ac9c8b36823f39a395ce8e0e3c7ad9605b82b5444f18cadacd217a5d'],
    ['tökén', 'ns', '5090d56eb6e05c3eb46b352b77cf4e2eb74a400f109a6beba5b942efec4e0d89'],
  ];
  for (const [token, namespace, hex] of cases) {
    it(`hashes token ${JSON.stringify(token)} and namespace ${JSON.stringify(namespace)} with length prefixes`, () => {
      assert.equal(buildLeaseName(token, namespace), `datakit-election-${hex}`);
    });
  }

  it('never contains the token and is a valid Kubernetes object name', () => {
    const name = buildLeaseName('secret-token', 'team-a');
    assert.ok(!name.includes('secret-token'));
    assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    assert.ok(name.length <= 253);
  });
});
