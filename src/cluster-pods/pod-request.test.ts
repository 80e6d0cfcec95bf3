import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePodQuery, parsePodRoute } from './pod-request.ts';

describe('parsePodRoute', () => {
  const cases: { path: string; expected: unknown }[] = [
    { path: '/v1/cluster/api/v1/pods', expected: { kind: 'all' } },
    { path: '/v1/cluster/api/v1/namespaces/web/pods', expected: { kind: 'namespace', namespace: 'web' } },
    {
      path: '/v1/cluster/api/v1/namespaces/web/pods/nginx',
      expected: { kind: 'pod', namespace: 'web', name: 'nginx' },
    },
    { path: '/v1/cluster/api/v1/namespaces/we%62/pods', expected: { kind: 'namespace', namespace: 'web' } },
    { path: '/v1/cluster/api/v1/', expected: undefined },
    { path: '/v1/cluster/api/v1/pods/extra', expected: undefined },
    { path: '/v1/cluster/api/v1/namespaces//pods', expected: undefined },
    { path: '/v1/cluster/api/v1/namespaces/web/services', expected: undefined },
    { path: '/v1/cluster/api/v1/namespaces/a%2Fb/pods', expected: undefined },
    { path: '/v1/cluster/api/v1/namespaces/%E0%A4%A/pods', expected: undefined },
    { path: '/v1/cluster/api/v1/namespaces/web/pods/nginx/log', expected: undefined },
  ];
  for (const { path, expected } of cases)
    it(`${path} → ${JSON.stringify(expected)}`, () => assert.deepEqual(parsePodRoute(path), expected));
});

describe('parsePodQuery', () => {
  const cases: { name: string; query: string; expected: unknown }[] = [
    {
      name: 'no view is the trimmed view',
      query: '',
      expected: { ok: true, value: { view: 'ebpf-v1', nodeName: undefined } },
    },
    {
      name: 'view=ebpf-v1',
      query: 'view=ebpf-v1',
      expected: { ok: true, value: { view: 'ebpf-v1', nodeName: undefined } },
    },
    {
      name: 'view=full',
      query: 'view=full',
      expected: { ok: true, value: { view: 'full', nodeName: undefined } },
    },
    {
      name: 'a node field selector',
      query: 'fieldSelector=spec.nodeName%3Dnode-a',
      expected: { ok: true, value: { view: 'ebpf-v1', nodeName: 'node-a' } },
    },
    {
      name: 'the == form of the node field selector',
      query: 'view=ebpf-v1&fieldSelector=spec.nodeName%3D%3Dnode-a',
      expected: { ok: true, value: { view: 'ebpf-v1', nodeName: 'node-a' } },
    },
  ];
  for (const { name, query, expected } of cases)
    it(name, () => assert.deepEqual(parsePodQuery(new URLSearchParams(query)), expected));

  const refused: { name: string; query: string; message: RegExp }[] = [
    {
      name: 'an unknown view (upstream fell back to the full view: C7)',
      query: 'view=ebpf-v2',
      message: /view "ebpf-v2" is not a view of this API; use one of ebpf-v1, full/,
    },
    { name: 'an empty view', query: 'view=', message: /view "" is not a view/ },
    {
      name: 'another field selector',
      query: 'fieldSelector=status.phase%3DRunning',
      message: /the only one is spec\.nodeName=<node name>/,
    },
    { name: 'a negated node selector', query: 'fieldSelector=spec.nodeName!%3Dn', message: /not supported/ },
    {
      name: 'a node selector combined with another',
      query: 'fieldSelector=spec.nodeName%3Dn,status.phase%3DRunning',
      message: /not supported/,
    },
    { name: 'an empty node name', query: 'fieldSelector=spec.nodeName%3D', message: /not supported/ },
  ];
  for (const { name, query, message } of refused) {
    it(`refuses ${name}`, () => {
      const parsed = parsePodQuery(new URLSearchParams(query));
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, message);
    });
  }
});
