import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LoggingConfigIndex } from './config-index.ts';
import { resolveLoggingConfigReply, type LoggingConfigSource } from './reply.ts';

function readyWith(
  ...names: { name: string; podTargetLabels?: string[]; podLabelSelector?: string }[]
): LoggingConfigSource {
  const index = new LoggingConfigIndex();
  for (const { name, podTargetLabels = [], podLabelSelector = '' } of names) {
    index.upsert({
      metadata: { name, creationTimestamp: '' },
      selector: { namespaceRegex: '^web$', podRegex: '', podLabelSelector, containerRegex: '' },
      podTargetLabels,
      configs: '[{"type":"file","source":"nginx","path":"/var/log/a.log"}]',
    });
  }
  return { ready: true, index };
}

describe('GET /v1/logging/configs replies', () => {
  const cases: { name: string; query: string; source: LoggingConfigSource; status: number; body: unknown }[] =
    [
      {
        name: 'a missing pod_name is a 400 with upstream message',
        query: 'namespace=web',
        source: readyWith(),
        status: 400,
        body: { error: 'namespace, pod_name parameters are required' },
      },
      {
        name: 'an empty namespace is a 400',
        query: 'namespace=&pod_name=p',
        source: readyWith(),
        status: 400,
        body: { error: 'namespace, pod_name parameters are required' },
      },
      {
        name: 'a pod name longer than a DNS name is a 400',
        query: `namespace=web&pod_name=${'p'.repeat(254)}`,
        source: readyWith(),
        status: 400,
        body: {
          error: "pod_name is longer than 253 characters: send the pod's own value",
          code: 'DKO_ERR_QUERY_INVALID',
        },
      },
      {
        name: 'an unsynced cache is a 503 with its reason, not a 404 (L5)',
        query: 'namespace=web&pod_name=p',
        source: { ready: false, reason: 'still listing' },
        status: 503,
        body: { error: 'still listing', code: 'DKO_ERR_NOT_READY' },
      },
      {
        name: 'no match is a 404 with upstream message',
        query: 'namespace=api&pod_name=p',
        source: readyWith({ name: 'web' }),
        status: 404,
        body: { error: 'no matching config found' },
      },
      {
        name: 'a match answers the name and configs as a JSON string; no pod_target_labels when empty',
        query: 'namespace=web&pod_name=p',
        source: readyWith({ name: 'web' }),
        status: 200,
        body: { name: 'web', configs: '[{"type":"file","source":"nginx","path":"/var/log/a.log"}]' },
      },
      {
        name: 'pod_target_labels are answered when set',
        query: 'namespace=web&pod_name=p&pod_labels=app%3Dnginx%2Cteam%3Dweb',
        source: readyWith({ name: 'web', podTargetLabels: ['app', 'team'], podLabelSelector: 'app=nginx' }),
        status: 200,
        body: {
          name: 'web',
          pod_target_labels: ['app', 'team'],
          configs: '[{"type":"file","source":"nginx","path":"/var/log/a.log"}]',
        },
      },
    ];
  for (const { name, query, source, status, body } of cases) {
    it(name, () => {
      const reply = resolveLoggingConfigReply(new URLSearchParams(query), source);
      assert.equal(reply.status, status);
      assert.deepEqual(reply.body, body);
    });
  }
});
