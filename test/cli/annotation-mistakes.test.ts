// The mistakes the webhook cannot report (it sees only "nothing asked for"): `explain` and `inject`
// name them, with a suggestion where there is a near miss, and `--strict` turns any warning into exit 1.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { explain, inject, javaTemplate, toYamlStream, type PodTemplate } from './support.ts';

function deployment(template: unknown, annotations?: Record<string, string>): Record<string, unknown> {
  const metadata = annotations === undefined ? { name: 'web' } : { name: 'web', annotations };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { template } };
}

function templateWith(annotations: Record<string, string>): PodTemplate {
  const template = javaTemplate('web');
  template.metadata = { annotations };
  return template;
}

const mistakes = [
  {
    name: 'a misspelt key',
    manifest: deployment(templateWith({ 'admission.datakit/java-lib.verison': '' })),
    message: /did you mean admission\.datakit\/java-lib\.version\?/,
  },
  {
    name: 'a language without an agent',
    manifest: deployment(templateWith({ 'admission.datakit/ruby-lib.version': '' })),
    message: /no agent for "ruby"/,
  },
  {
    name: 'a switch that is not a boolean',
    manifest: deployment(templateWith({ 'admission.datakit/enabled': 'flase' })),
    message: /"flase" is not a boolean/,
  },
  {
    name: 'annotations on the Deployment instead of its pod template',
    manifest: deployment(templateWith({}), { 'admission.datakit/java-lib.version': '' }),
    message: /on the Deployment's own metadata/,
  },
];

describe('annotation mistakes in the offline commands', () => {
  for (const { name, manifest, message } of mistakes) {
    it(`explain names ${name}; exit 0, or 1 with --strict`, async () => {
      const stdin = toYamlStream([manifest]);
      const run = await explain(['-f', '-'], { stdin });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^ {2}warning: annotation .*${message.source}`, 'm'));
      const strict = await explain(['-f', '-', '--strict'], { stdin });
      assert.equal(strict.code, 1);
      assert.match(strict.stderr, /--strict: 1 warning/);
    });

    it(`inject warns about ${name} on stderr, keeps stdout a manifest; exit 1 with --strict`, async () => {
      const stdin = toYamlStream([manifest]);
      const run = await inject(['-f', '-'], { stdin });
      assert.equal(run.code, 0, run.stderr);
      assert.match(
        run.stderr,
        new RegExp(`^Deployment default/web: warning: annotation .*${message.source}`, 'm'),
      );
      assert.match(run.stdout, /^apiVersion: apps\/v1/);
      assert.equal((await inject(['-f', '-', '--strict'], { stdin })).code, 1);
    });
  }

  it('explain -o json lists them as annotationWarnings, and only when there are some', async () => {
    const run = await explain(['-f', '-', '-o', 'json'], {
      stdin: toYamlStream([mistakes[0]?.manifest, deployment(templateWith({}))]),
    });
    assert.equal(run.code, 0, run.stderr);
    const [bad, clean] = JSON.parse(run.stdout) as Record<string, unknown>[];
    assert.equal((bad?.['annotationWarnings'] as string[]).length, 1);
    assert.equal(clean?.['annotationWarnings'], undefined);
  });

  it('--strict passes a clean manifest', async () => {
    const run = await explain(['-f', '-', '--strict'], {
      stdin: toYamlStream([deployment(javaTemplate('web'))]),
    });
    assert.equal(run.code, 0, run.stderr);
  });
});
