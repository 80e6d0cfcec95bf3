import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyConfigOverrides, mergeConfigDocuments, normalizeCaseInsensitiveKeys } from './merge.ts';

describe('mergeConfigDocuments', () => {
  const base = {
    a: 1,
    nested: { x: 1, y: [1, 2], envs: { A: '1', B: '2' } },
    list: [{ k: 1 }],
  };
  const cases: readonly [name: string, over: unknown, expected: unknown][] = [
    ['an empty document gives the defaults', {}, base],
    ['a scalar replaces', { a: 2 }, { ...base, a: 2 }],
    ['objects merge key by key', { nested: { x: 9 } }, { ...base, nested: { ...base.nested, x: 9 } }],
    ['an array replaces', { list: [] }, { ...base, list: [] }],
    ['a nested array replaces', { nested: { y: [3] } }, { ...base, nested: { ...base.nested, y: [3] } }],
    [
      'envs replace as a whole',
      { nested: { envs: { C: '3' } } },
      { ...base, nested: { ...base.nested, envs: { C: '3' } } },
    ],
    ['a new key is kept', { b: true }, { ...base, b: true }],
    ['a value of another type replaces', { nested: 'x' }, { ...base, nested: 'x' }],
    ['null replaces (and validation will name it)', { a: null }, { ...base, a: null }],
  ];
  for (const [name, over, expected] of cases) {
    it(name, () => assert.deepEqual(mergeConfigDocuments(base, over), expected));
  }

  it("keeps the defaults key order, then the document's new keys in document order", () => {
    const merged = mergeConfigDocuments({ a: 1, b: 2 }, { z: 0, b: 3, c: 4 });
    assert.deepEqual(Object.keys(merged as object), ['a', 'b', 'z', 'c']);
  });

  it('shares nothing with its inputs', () => {
    const defaults = { nested: { envs: { A: '1' } }, list: [{ k: 1 }] };
    const merged = mergeConfigDocuments(defaults, {}) as typeof defaults;
    merged.nested.envs.A = 'changed';
    merged.list.push({ k: 2 });
    assert.deepEqual(defaults, { nested: { envs: { A: '1' } }, list: [{ k: 1 }] });
  });
});

describe('applyConfigOverrides', () => {
  it('replaces an existing key in place, keeping its position', () => {
    const document = { envs: { A: '1', B: '2', C: '3' } };
    applyConfigOverrides(document, [{ path: ['envs', 'B'], value: 'x', source: 'ENV_B' }]);
    assert.deepEqual(Object.entries(document.envs), [
      ['A', '1'],
      ['B', 'x'],
      ['C', '3'],
    ]);
  });

  it('appends a key the document does not have', () => {
    const document = { envs: { A: '1' } };
    applyConfigOverrides(document, [{ path: ['envs', 'B'], value: '2', source: 'ENV_B' }]);
    assert.deepEqual(Object.keys(document.envs), ['A', 'B']);
  });

  it('skips an override whose parent is not an object', () => {
    const document = { envs: ['not', 'an', 'object'] };
    applyConfigOverrides(document, [{ path: ['envs', 'B'], value: '2', source: 'ENV_B' }]);
    assert.deepEqual(document, { envs: ['not', 'an', 'object'] });
  });
});

describe('normalizeCaseInsensitiveKeys', () => {
  const defaults = {
    log_level: 'info',
    admission_inject: { ddtrace: { images: { java_agent_image: 'x' }, envs: {}, resources: {} } },
  };

  it('spells section keys, rule entry keys and resource keys as the schema does, and map keys as written', () => {
    const collisions: string[] = [];
    const normalized = normalizeCaseInsensitiveKeys(
      {
        Log_Level: 'x',
        Admission_Inject: {
          DDTrace: {
            Images: { Java_Agent_Image: 'y' },
            Envs: { Dd_Env: 'z' },
            enabled_namespaces: [{ NameSpace: 'a', Language: 'java' }, 'not-an-object'],
            Resources: { Limits: { CPU: '1', 'example.com/GPU': '1' } },
          },
        },
        Unknown_Key: 1,
      },
      defaults,
      (path) => collisions.push(path.join('.')),
    );
    assert.deepEqual(normalized, {
      log_level: 'x',
      admission_inject: {
        ddtrace: {
          images: { Java_Agent_Image: 'y' },
          envs: { Dd_Env: 'z' },
          enabled_namespaces: [{ namespace: 'a', language: 'java' }, 'not-an-object'],
          resources: { limits: { cpu: '1', 'example.com/GPU': '1' } },
        },
      },
      Unknown_Key: 1,
    });
    assert.deepEqual(collisions, []);
  });

  it('keeps the last of two spellings of one section key, as Go does, and reports them', () => {
    const collisions: [string, readonly string[]][] = [];
    const normalized = normalizeCaseInsensitiveKeys(
      { log_level: 'debug', LOG_LEVEL: 'warn' },
      defaults,
      (path, spellings) => collisions.push([path.join('.'), spellings]),
    );
    assert.deepEqual(normalized, { log_level: 'warn' });
    assert.deepEqual(collisions, [['', ['log_level', 'LOG_LEVEL']]]);
  });

  it('reports two spellings of one resource key', () => {
    const collisions: [string, readonly string[]][] = [];
    normalizeCaseInsensitiveKeys(
      { admission_inject: { logfwd: { resources: { limits: { cpu: '1', CPU: '2' } } } } },
      defaults,
      (path, spellings) => collisions.push([path.join('.'), spellings]),
    );
    assert.deepEqual(collisions, [['admission_inject.logfwd.resources.limits', ['cpu', 'CPU']]]);
  });
});
