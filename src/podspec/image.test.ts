import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isValidImageReference, isValidImageTag, replaceImageTag } from './image.ts';

const digest = `sha256:${'a'.repeat(64)}`;

const replaceCases: ReadonlyArray<{ image: string; tag: string; expected: string }> = [
  { image: 'a/b:1', tag: '2', expected: 'a/b:2' },
  { image: 'a/b', tag: '2', expected: 'a/b:2' },
  { image: 'localhost:5000/x:1', tag: '2', expected: 'localhost:5000/x:2' },
  { image: 'localhost:5000/x', tag: '2', expected: 'localhost:5000/x:2' },
  { image: `a/b:1@${digest}`, tag: '2', expected: 'a/b:2' },
  { image: `a/b@${digest}`, tag: '2', expected: 'a/b:2' },
  {
    image: 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.30.1-guance',
    tag: 'v1.8.4',
    expected: 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.8.4',
  },
  { image: 'busybox', tag: 'latest', expected: 'busybox:latest' },
  { image: 'a/b:1', tag: '', expected: 'a/b:1' },
  { image: `a/b:1@${digest}`, tag: '', expected: `a/b:1@${digest}` },
];

describe('replaceImageTag', () => {
  for (const c of replaceCases) {
    it(`turns ${c.image} + ${JSON.stringify(c.tag)} into ${c.expected}`, () => {
      assert.equal(replaceImageTag(c.image, c.tag), c.expected);
    });
  }
});

describe('isValidImageReference', () => {
  const valid = [
    'busybox',
    'busybox:1.36',
    'library/busybox:latest',
    'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.30.1-guance',
    'localhost:5000/x',
    'localhost:5000/x:1',
    'Registry.Example.com/team/app',
    '[::1]:5000/app:1',
    `a/b@${digest}`,
    `a/b:1@${digest}`,
    'my_repo/a__b/c-d---e.f:tag',
  ];
  const invalid = [
    '',
    'Busybox',
    'a/Upper',
    'a/b:',
    'a/b:-tag',
    `a/b:${'t'.repeat(129)}`,
    'a/b@sha256:short',
    'a//b',
    '/a',
    'a/b/',
    'a b',
    ':tag',
    `${'a'.repeat(256)}`,
    'a/-b',
  ];
  for (const image of valid) {
    it(`accepts ${image}`, () => assert.equal(isValidImageReference(image), true));
  }
  for (const image of invalid) {
    it(`rejects ${JSON.stringify(image.length > 40 ? `${image.slice(0, 10)}…` : image)}`, () =>
      assert.equal(isValidImageReference(image), false));
  }
});

describe('isValidImageTag', () => {
  for (const tag of ['v1', '1.2.3', 'latest', '_x', 'a-b.c_d', 't'.repeat(128)]) {
    it(`accepts ${tag.length > 40 ? 'a 128-character tag' : tag}`, () =>
      assert.equal(isValidImageTag(tag), true));
  }
  for (const tag of ['', '-v1', '.v1', 'v:1', 'a/b', 'a b', 't'.repeat(129)]) {
    it(`rejects ${JSON.stringify(tag.length > 40 ? 'a 129-character tag' : tag)}`, () =>
      assert.equal(isValidImageTag(tag), false));
  }
});
