import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../schema.ts';
import { logDirectory } from './loggings.ts';

describe('logDirectory (reference §3.3, Go filepath.Dir semantics)', () => {
  const vectors = [
    ['/var/log/opt/**/*log', '/var/log/opt'],
    ['/tmp/opt/log', '/tmp/opt'],
    ['/var/log/app.log', '/var/log'],
    ['/var/log/app-*.log', '/var/log'],
    ['/var//log/./x/../app.log', '/var/log'],
    ['/app.log', '/'],
    ['app.log', '.'],
    ['*/logs', '.'],
    ['', '.'],
  ] as const;
  for (const [path, dir] of vectors) {
    it(`${JSON.stringify(path)} → ${JSON.stringify(dir)}`, () => assert.equal(logDirectory(path), dir));
  }
});

function loggings(rules: unknown): ReturnType<typeof resolveConfig> {
  return resolveConfig({ admission_mutate: { loggings: rules } });
}

describe('admission_mutate.loggings at load', () => {
  it('computes the directories of the enabled file entries once, in order and without duplicates', () => {
    const config = JSON.stringify([
      { type: 'file', path: '/var/log/a/*.log' },
      { type: 'file', path: '/var/log/a/b.log' },
      { type: 'file', path: '/skip/x.log', disable: true },
      { type: 'stdout' },
      { type: 'file', path: '/srv/log/c.log' },
    ]);
    const result = loggings([{ namespace_selectors: ['*'], config }]);
    assert.ok(result.ok);
    assert.deepEqual(result.value.config.admission_mutate.loggings[0]?.mount_dirs, [
      '/var/log/a',
      '/srv/log',
    ]);
    assert.equal(result.value.config.admission_mutate.loggings[0]?.config, config);
  });

  const errors = [
    {
      name: 'config that is not JSON',
      config: '[{',
      error: /^admission_mutate\.loggings\[0\]\.config: is not valid JSON/,
    },
    {
      name: 'config that is not an array of objects',
      config: '{"type":"file"}',
      error: /config: must be a JSON array of objects/,
    },
    {
      name: 'a relative file path',
      config: '[{"type":"file","path":"app.log"}]',
      error: /config: entry 0: the directory of "app\.log" is "\.", which cannot be mounted/,
    },
    {
      name: 'a file directly under /',
      config: '[{"type":"file","path":"/app.log"}]',
      error: /entry 0: the directory of "\/app\.log" is "\/"/,
    },
    {
      name: 'a file entry without a path',
      config: '[{"type":"file"}]',
      error: /entry 0 is a file entry without a string "path"/,
    },
  ];
  for (const { name, config, error } of errors) {
    it(`refuses ${name}, naming the rule's key`, () => {
      const result = loggings([{ namespace_selectors: ['*'], config }]);
      assert.ok(!result.ok);
      assert.ok(
        result.error.some((problem) => error.test(problem.message)),
        JSON.stringify(result.error),
      );
    });
  }

  it('warns about a rule that can never match or never change a pod, and drops it', () => {
    const result = loggings([
      { namespace_selectors: [], label_selectors: [], config: '' },
      { namespace_selectors: ['a'] },
    ]);
    assert.ok(result.ok);
    assert.deepEqual(result.value.config.admission_mutate.loggings, []);
    assert.match(
      result.value.warnings[0] ?? '',
      /^admission_mutate\.loggings\[0\]: has neither namespace_selectors nor label_selectors/,
    );
    assert.match(result.value.warnings[1] ?? '', /^admission_mutate\.loggings\[1\]\.config: is empty/);
  });

  it('reports unknown keys of a rule', () => {
    const result = loggings([{ namespace_selectors: ['a'], config: '[]', language: 'java' }]);
    assert.ok(result.ok);
    assert.deepEqual(result.value.warnings, [
      'unknown key "admission_mutate.loggings[0].language" is ignored',
    ]);
  });
});
