import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPodView, replaceContents, writePodIntoTemplate } from './pod-template.ts';

describe('pod template view', () => {
  it('sees only the metadata and the spec of a template', () => {
    const template = { spec: { containers: [] }, metadata: { labels: { a: 'b' } } };
    assert.deepEqual(buildPodView(template), { metadata: { labels: { a: 'b' } }, spec: { containers: [] } });
  });

  it('writes the mutated pod back in place, keeping the template key order', () => {
    const template: Record<string, unknown> = { spec: { containers: [] }, metadata: { name: 'x' } };
    writePodIntoTemplate(template, {
      metadata: { name: 'x', annotations: { k: 'v' } },
      spec: { containers: [{ name: 'a' }] },
    });
    assert.deepEqual(Object.keys(template), ['spec', 'metadata']);
    assert.deepEqual(template['metadata'], { name: 'x', annotations: { k: 'v' } });
  });

  it('puts metadata first when the template had none', () => {
    const template: Record<string, unknown> = { spec: { containers: [] } };
    writePodIntoTemplate(template, { metadata: { annotations: { k: 'v' } }, spec: { containers: [] } });
    assert.deepEqual(Object.keys(template), ['metadata', 'spec']);
  });

  it('replaces every key of an object in the source order', () => {
    const target: Record<string, unknown> = { a: 1, b: 2 };
    replaceContents(target, { b: 3, c: 4 });
    assert.deepEqual(Object.entries(target), [
      ['b', 3],
      ['c', 4],
    ]);
  });
});
