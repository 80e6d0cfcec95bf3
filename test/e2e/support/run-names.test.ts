import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunNames, newRunId } from './run-names.ts';

describe('run names', () => {
  it('draws run ids of six lowercase alphanumerics', () => {
    const ids = Array.from({ length: 50 }, () => newRunId());
    for (const id of ids) assert.match(id, /^[a-z0-9]{6}$/);
    assert.ok(new Set(ids).size > 45, 'run ids repeat');
  });

  it('names namespaces, the webhook configuration and the run selector after the run', () => {
    const names = buildRunNames('abc123');
    assert.equal(names.namespace('gen-team-a'), 'dko-e2e-abc123-gen-team-a');
    assert.ok(names.namespace('gen-team-a').startsWith(names.namespacePrefix));
    assert.equal(names.webhookConfiguration, 'dko-e2e-abc123');
    assert.equal(names.runSelector, 'e2e.datakit/run=abc123');
    assert.deepStrictEqual(names.labels, { 'e2e.datakit/run': 'abc123' });
  });

  const invalid = [{ purpose: 'x'.repeat(60) }, { purpose: 'Upper' }, { purpose: 'trailing-' }];
  for (const { purpose } of invalid) {
    it(`refuses a namespace that is not a DNS label (${purpose.slice(0, 12)})`, () =>
      assert.throws(() => buildRunNames('abc123').namespace(purpose), /not a valid DNS label/));
  }
});
