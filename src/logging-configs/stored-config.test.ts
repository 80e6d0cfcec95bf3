import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serializeConfigs, toStoredLoggingConfig } from './stored-config.ts';

describe('serializeConfigs writes spec.configs as upstream Go type marshals it', () => {
  const cases: { name: string; configs: unknown; expected: string }[] = [
    { name: 'a missing configs field is an empty array, never null', configs: undefined, expected: '[]' },
    { name: 'null is an empty array', configs: null, expected: '[]' },
    { name: 'a non-array is an empty array', configs: { type: 'file' }, expected: '[]' },
    {
      name: 'type and source are always written, empty optional fields never',
      configs: [{ path: '', disable: false, tags: {} }],
      expected: '[{"type":"","source":""}]',
    },
    {
      name: 'fields follow the Go struct order, tags sorted by key',
      configs: [
        {
          tags: { team: 'web', app: 'nginx' },
          from_beginning_threshold_size: 1024,
          from_beginning: true,
          remove_ansi_escape_codes: true,
          multiline_match: '^\\d',
          pipeline: 'nginx.p',
          character_encoding: 'utf-8',
          service: 'web',
          storage_index: 'idx',
          path: '/var/log/nginx/*.log',
          disable: true,
          source: 'nginx',
          type: 'file',
        },
      ],
      expected:
        '[{"type":"file","source":"nginx","disable":true,"path":"/var/log/nginx/*.log","storage_index":"idx",' +
        '"service":"web","character_encoding":"utf-8","pipeline":"nginx.p","multiline_match":"^\\\\d",' +
        '"remove_ansi_escape_codes":true,"from_beginning":true,"from_beginning_threshold_size":1024,' +
        '"tags":{"app":"nginx","team":"web"}}]',
    },
    {
      name: 'unknown fields and values of the wrong type are dropped',
      configs: [{ type: 'file', source: 's', extra: 1, disable: 'yes', tags: { a: 1, b: 'x' } }],
      expected: '[{"type":"file","source":"s","tags":{"b":"x"}}]',
    },
  ];
  for (const { name, configs, expected } of cases) {
    it(name, () => assert.equal(serializeConfigs(configs), expected));
  }
});

describe('toStoredLoggingConfig keeps only what the answer needs', () => {
  it('drops managedFields, annotations and unknown spec fields', () => {
    const stored = toStoredLoggingConfig({
      apiVersion: 'logging.datakits.io/v1alpha1',
      kind: 'ClusterLoggingConfig',
      metadata: {
        name: 'nginx',
        resourceVersion: '42',
        creationTimestamp: '2026-01-01T00:00:00Z',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { a: 'b' },
      },
      spec: {
        selector: { namespaceRegex: '^web$', podLabelSelector: 'app=nginx', containerRegex: 'c' },
        podTargetLabels: ['app', 7, ''],
        configs: [{ type: 'file', source: 'nginx' }],
        somethingElse: true,
      },
    });
    assert.deepEqual(stored, {
      metadata: { name: 'nginx', resourceVersion: '42', creationTimestamp: '2026-01-01T00:00:00Z' },
      selector: { namespaceRegex: '^web$', podRegex: '', podLabelSelector: 'app=nginx', containerRegex: 'c' },
      podTargetLabels: ['app'],
      configs: '[{"type":"file","source":"nginx"}]',
    });
  });

  it('refuses an object without a name', () => {
    assert.equal(toStoredLoggingConfig({ metadata: {} }), undefined);
    assert.equal(toStoredLoggingConfig('nonsense'), undefined);
  });
});
