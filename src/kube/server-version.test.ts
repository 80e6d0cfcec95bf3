import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseVersionInfo, parseVersionText, resolveServerVersion } from './server-version.ts';

describe('parseVersionText', () => {
  const cases = [
    ['1.30', { major: 1, minor: 30 }],
    ['v1.29.4', { major: 1, minor: 29 }],
    ['v1.30.2-gke.1587003', { major: 1, minor: 30 }],
    ['v1.31.0+k3s1', { major: 1, minor: 31 }],
    ['auto', undefined],
    ['1', undefined],
  ] as const;
  for (const [text, expected] of cases) {
    it(`reads "${text}"`, () => assert.deepEqual(parseVersionText(text), expected));
  }
});

describe('parseVersionInfo', () => {
  it('reads major and minor', () =>
    assert.deepEqual(parseVersionInfo({ major: '1', minor: '30' }), { major: 1, minor: 30 }));
  it('reads a managed-cluster minor like "30+"', () =>
    assert.deepEqual(parseVersionInfo({ major: '1', minor: '30+' }), { major: 1, minor: 30 }));
  it('falls back to gitVersion', () =>
    assert.deepEqual(parseVersionInfo({ major: '', minor: '', gitVersion: 'v1.28.3' }), {
      major: 1,
      minor: 28,
    }));
  it('is undefined when nothing parses', () => assert.equal(parseVersionInfo({}), undefined));
});

describe('resolveServerVersion', () => {
  it('uses the discovered version for auto', () =>
    assert.deepEqual(resolveServerVersion('auto', { major: 1, minor: 31 }), { major: 1, minor: 31 }));
  it('lets a configured version win over discovery', () =>
    assert.deepEqual(resolveServerVersion('1.28', { major: 1, minor: 31 }), { major: 1, minor: 28 }));
  it('is unknown for auto without discovery', () =>
    assert.equal(resolveServerVersion('auto', undefined), undefined));
});
