import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { formatJson, formatYamlStream, parseManifestStream } from './manifest-stream.ts';

describe('parseManifestStream', () => {
  it('reads every document of a YAML stream, skipping empty ones but counting them', () => {
    const parsed = parseManifestStream('a: 1\n---\n---\n# only a comment\n---\nb: 2\n');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, [
      { index: 1, value: { a: 1 } },
      { index: 4, value: { b: 2 } },
    ]);
  });

  it('reads JSON as YAML', () => {
    const parsed = parseManifestStream('{"kind": "Pod", "spec": {"containers": []}}');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value[0]?.value, { kind: 'Pod', spec: { containers: [] } });
  });

  it('resolves anchors, aliases and merge keys as kubectl does', () => {
    const parsed = parseManifestStream('base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value[0]?.value, { base: { x: 1 }, use: { x: 1, y: 2 } });
  });

  const errors: readonly [string, string, number, number, RegExp][] = [
    ['an unclosed flow sequence', 'a: 1\n---\nb: [1, 2\nc: 3\n', 2, 4, /Flow sequence/],
    ['a duplicate key', 'a: 1\na: 2\n', 1, 2, /unique/],
    ['an unclosed quote', 'kind: Pod\n---\nfoo: "bar\n', 2, 4, /quote/],
    ['an undefined alias', 'a: 1\n---\nb: *nowhere\n', 2, 3, /nowhere/],
  ];
  for (const [name, text, document, line, message] of errors) {
    it(`reports ${name} with its document, line and column`, () => {
      const parsed = parseManifestStream(text);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.equal(parsed.error.document, document);
      assert.equal(parsed.error.line, line);
      assert.ok(parsed.error.column >= 1);
      assert.match(parsed.error.message, message);
      assert.doesNotMatch(parsed.error.message, /at line/, 'the position is not repeated inside the message');
    });
  }
});

describe('formatYamlStream', () => {
  it('separates documents with --- and keeps key order', () => {
    const text = formatYamlStream([
      { kind: 'B', apiVersion: 'v1' },
      { z: 1, a: 2 },
    ]);
    assert.equal(text, 'kind: B\napiVersion: v1\n---\nz: 1\na: 2\n');
  });

  it('quotes strings a YAML 1.1 reader (kubectl) would take for booleans or numbers', () => {
    const values = ['yes', 'on', 'n', '1.30', '0123', '9529', 'true', ''];
    const text = formatYamlStream([{ values }]);
    for (const value of values) assert.ok(text.includes(`'${value}'`), `${value} is quoted in:\n${text}`);
    assert.deepEqual(parse(text, { version: '1.1' }), { values });
  });

  it('never folds a long annotation value', () => {
    const long = JSON.stringify([
      { datakit_addr: 'x:9533', loggings: [{ logfiles: ['/var/log/a/*.log'.repeat(20)] }] },
    ]);
    const text = formatYamlStream([{ annotations: { k: long } }]);
    assert.equal(text.split('\n').length, 3);
    assert.deepEqual(parse(text), { annotations: { k: long } });
  });

  it('writes shared objects out in full instead of as aliases', () => {
    const shared = { name: 'x' };
    const text = formatYamlStream([{ a: shared, b: shared }]);
    assert.doesNotMatch(text, /[&*]/);
  });
});

describe('formatJson', () => {
  it('prints one object as itself', () => {
    assert.deepEqual(JSON.parse(formatJson([{ kind: 'Pod' }])), { kind: 'Pod' });
  });

  it('prints several objects as a v1 List, like kubectl', () => {
    const printed = JSON.parse(formatJson([{ kind: 'Pod' }, { kind: 'ConfigMap' }]));
    assert.equal(printed.apiVersion, 'v1');
    assert.equal(printed.kind, 'List');
    assert.deepEqual(printed.items, [{ kind: 'Pod' }, { kind: 'ConfigMap' }]);
  });
});
