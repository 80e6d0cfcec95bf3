import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LoggingConfigIndex, parsePodLabels, type PodIdentity } from './config-index.ts';
import type { StoredLoggingConfig } from './stored-config.ts';

function cr(
  name: string,
  selector: Partial<StoredLoggingConfig['selector']>,
  creationTimestamp = '2026-01-01T00:00:00Z',
): StoredLoggingConfig {
  return {
    metadata: { name, creationTimestamp },
    selector: { namespaceRegex: '', podRegex: '', podLabelSelector: '', containerRegex: '', ...selector },
    podTargetLabels: [],
    configs: `[{"type":"file","source":"${name}"}]`,
  };
}

function pod(namespace: string, podName: string, labels: Record<string, string> = {}): PodIdentity {
  return { namespace, podName, podLabels: labels };
}

describe('LoggingConfigIndex.find', () => {
  const cases: {
    name: string;
    crs: StoredLoggingConfig[];
    pod: PodIdentity;
    expected: string | undefined;
  }[] = [
    {
      name: 'a CR without selectors matches every pod',
      crs: [cr('all', {})],
      pod: pod('a', 'b'),
      expected: 'all',
    },
    {
      name: 'namespaceRegex is an unanchored search',
      crs: [cr('web', { namespaceRegex: 'web' })],
      pod: pod('my-web-apps', 'p'),
      expected: 'web',
    },
    {
      name: 'an anchored namespaceRegex does not match a longer namespace',
      crs: [cr('web', { namespaceRegex: '^web$' })],
      pod: pod('web2', 'p'),
      expected: undefined,
    },
    {
      name: 'podRegex is tested against the pod name',
      crs: [cr('nginx', { podRegex: '^nginx-' })],
      pod: pod('a', 'nginx-7d9f'),
      expected: 'nginx',
    },
    {
      name: 'all selectors must hold',
      crs: [cr('both', { namespaceRegex: '^web$', podLabelSelector: 'app=nginx' })],
      pod: pod('web', 'p', { app: 'redis' }),
      expected: undefined,
    },
    {
      name: 'podLabelSelector supports globs in = values',
      crs: [cr('glob', { podLabelSelector: 'app=ngin*' })],
      pod: pod('a', 'p', { app: 'nginx' }),
      expected: 'glob',
    },
    {
      name: 'a podLabelSelector does not match a pod that sent no labels (upstream skipped it: L2)',
      crs: [cr('labelled', { podLabelSelector: 'app=nginx' })],
      pod: pod('a', 'p'),
      expected: undefined,
    },
    {
      name: 'a negative podLabelSelector holds for a pod without that label',
      crs: [cr('not-redis', { podLabelSelector: 'app!=redis' })],
      pod: pod('a', 'p'),
      expected: 'not-redis',
    },
    {
      name: 'an invalid regex makes the CR match nothing (upstream matched everything: L1)',
      crs: [cr('broken', { namespaceRegex: '(' })],
      pod: pod('a', 'p'),
      expected: undefined,
    },
    {
      name: 'Go-only syntax is reported as invalid, not silently ignored',
      crs: [cr('go-flags', { podRegex: '(?i)nginx' })],
      pod: pod('a', 'NGINX'),
      expected: undefined,
    },
    {
      name: 'an invalid label selector makes the CR match nothing',
      crs: [cr('broken', { podLabelSelector: 'app in (' })],
      pod: pod('a', 'p', { app: 'x' }),
      expected: undefined,
    },
    {
      name: 'the oldest matching CR wins, whatever the order they arrived in (L3)',
      crs: [cr('newer', {}, '2026-02-01T00:00:00Z'), cr('older', {}, '2026-01-01T00:00:00Z')],
      pod: pod('a', 'p'),
      expected: 'older',
    },
    {
      name: 'equal creation times are ordered by name',
      crs: [cr('b', {}), cr('a', {})],
      pod: pod('a', 'p'),
      expected: 'a',
    },
    {
      name: 'a non-matching older CR does not shadow a matching newer one',
      crs: [
        cr('old', { namespaceRegex: '^other$' }, '2025-01-01T00:00:00Z'),
        cr('new', {}, '2026-01-01T00:00:00Z'),
      ],
      pod: pod('a', 'p'),
      expected: 'new',
    },
  ];
  for (const { name, crs, pod: identity, expected } of cases) {
    it(name, () => {
      const index = new LoggingConfigIndex();
      for (const stored of crs) index.upsert(stored);
      assert.equal(index.find(identity).match?.name, expected);
    });
  }

  it('upsert reports the problems of an invalid CR, and none for a valid one', () => {
    const index = new LoggingConfigIndex();
    assert.deepEqual(index.upsert(cr('ok', { namespaceRegex: '^a$' })), []);
    const problems = index.upsert(cr('bad', { namespaceRegex: '(' }));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /spec\.selector\.namespaceRegex "\(" is not a valid regular expression/);
  });

  it('names the shadowed CRs in precedence order', () => {
    const index = new LoggingConfigIndex();
    index.upsert(cr('c', {}, '2026-03-01T00:00:00Z'));
    index.upsert(cr('a', {}, '2026-01-01T00:00:00Z'));
    index.upsert(cr('b', {}, '2026-02-01T00:00:00Z'));
    assert.deepEqual(index.find(pod('x', 'y')).shadowed, ['b', 'c']);
  });

  it('an update replaces the CR, and a delete removes it', () => {
    const index = new LoggingConfigIndex();
    index.upsert(cr('web', { namespaceRegex: '^web$' }));
    assert.equal(index.find(pod('web', 'p')).match?.name, 'web');
    index.upsert(cr('web', { namespaceRegex: '^api$' }));
    assert.equal(index.find(pod('web', 'p')).match, undefined);
    assert.equal(index.find(pod('api', 'p')).match?.name, 'web');
    index.delete('web');
    assert.equal(index.size(), 0);
    assert.equal(index.find(pod('api', 'p')).match, undefined);
  });
});

describe('parsePodLabels reads logfwd pod_labels', () => {
  const cases: { name: string; text: string; expected: Record<string, string> }[] = [
    { name: 'empty text is no labels', text: '', expected: {} },
    { name: 'pairs split on commas', text: 'app=nginx,tier=web', expected: { app: 'nginx', tier: 'web' } },
    { name: 'a value may contain = (upstream dropped it: L4)', text: 'q=a=b', expected: { q: 'a=b' } },
    { name: 'an empty value is kept', text: 'flag=', expected: { flag: '' } },
    { name: 'parts without = or without a key are dropped', text: 'junk,=x,app=a', expected: { app: 'a' } },
  ];
  for (const { name, text, expected } of cases)
    it(name, () => assert.deepEqual(parsePodLabels(text), expected));
});
