import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiGroupOf, itemKindOfList, resolveKind } from './workload-kinds.ts';

describe('resolveKind', () => {
  const rows: readonly [string, string | undefined, boolean, string, string?][] = [
    ['Pod', 'v1', false, 'pod'],
    ['Deployment', 'apps/v1', false, 'template', 'spec.template'],
    ['Deployment', 'extensions/v1beta1', false, 'template', 'spec.template'],
    ['DaemonSet', 'apps/v1', false, 'template', 'spec.template'],
    ['StatefulSet', 'apps/v1', false, 'template', 'spec.template'],
    ['ReplicaSet', 'apps/v1', false, 'template', 'spec.template'],
    ['ReplicationController', 'v1', false, 'template', 'spec.template'],
    ['Job', 'batch/v1', false, 'template', 'spec.template'],
    ['CronJob', 'batch/v1', false, 'template', 'spec.jobTemplate.spec.template'],
    ['Deployment', undefined, false, 'template', 'spec.template'],
    ['List', 'v1', false, 'list'],
    ['DeploymentList', 'apps/v1', true, 'list'],
    ['AllowList', 'policy.example.com/v1', false, 'other'],
    ['ConfigMap', 'v1', false, 'other'],
    ['Job', 'batch.volcano.sh/v1alpha1', false, 'other'],
    ['Pod', 'example.com/v1', false, 'other'],
  ];
  for (const [kind, apiVersion, hasItems, type, templatePath] of rows) {
    it(`treats ${apiVersion ?? '(no apiVersion)'} ${kind}${hasItems ? ' with items' : ''} as ${type}`, () => {
      const resolution = resolveKind(kind, apiVersion, hasItems);
      assert.equal(resolution.type, type);
      if (resolution.type === 'template') assert.equal(resolution.templatePath.join('.'), templatePath);
    });
  }

  it('explains why a look-alike kind from another group is not a workload', () => {
    const resolution = resolveKind('Job', 'batch.volcano.sh/v1alpha1', false);
    assert.equal(resolution.type, 'other');
    if (resolution.type === 'other') assert.match(resolution.reason, /batch\.volcano\.sh\/v1alpha1.*batch/);
  });
});

describe('list helpers', () => {
  it('derives the item kind of a typed list and none for a plain List', () => {
    assert.equal(itemKindOfList('DeploymentList'), 'Deployment');
    assert.equal(itemKindOfList('List'), undefined);
  });

  it('reads the API group from an apiVersion', () => {
    assert.equal(apiGroupOf('apps/v1'), 'apps');
    assert.equal(apiGroupOf('v1'), '');
  });
});
