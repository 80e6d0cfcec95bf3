// The chart as a package: `helm lint --strict` is clean for every values file, values.schema.json (and
// the chart's own checks) refuse bad values with a message naming the key, the versions follow
// package.json, the embedded default config follows `config default`, and deploy/datakit-operator.yaml
// is exactly what scripts/render-manifest.sh renders now (so the plain manifest never drifts).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { defaultConfigJson } from '../../src/config/defaults.ts';
import {
  CHART_DIR,
  CI_VALUES_DIR,
  HELM_TIMEOUT_MS,
  helmTemplate,
  packageVersion,
  readDeployManifest,
  renderDeployManifest,
  runHelm,
  type TemplateOptions,
} from './support.ts';

describe('the Helm chart', { timeout: HELM_TIMEOUT_MS }, () => {
  const valuesFiles = readdirSync(CI_VALUES_DIR).filter((file) => file.endsWith('.yaml'));

  it('has a values file for every tested flavour', () => {
    assert.ok(valuesFiles.length >= 7);
  });

  for (const file of valuesFiles) {
    it(`passes helm lint --strict with ci/${file}`, () => {
      const run = runHelm([
        'lint',
        '--strict',
        CHART_DIR,
        '--namespace',
        'datakit',
        '-f',
        join(CI_VALUES_DIR, file),
      ]);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      assert.doesNotMatch(run.stdout, /\[(WARNING|ERROR)\]/);
    });
  }

  const rejected: readonly [string, TemplateOptions, RegExp][] = [
    ['an unknown certificate mode', { set: ['certificates.mode=vault'] }, /certificates\/mode/],
    ['zero replicas', { set: ['replicaCount=0'] }, /replicaCount/],
    ['an unknown failure policy', { set: ['webhook.failurePolicy=Maybe'] }, /webhook\/failurePolicy/],
    [
      'a timeout above the API server limit',
      { set: ['webhook.timeoutSeconds=60'] },
      /webhook\/timeoutSeconds/,
    ],
    ['a port out of range', { set: ['service.port=70000'] }, /service\/port/],
    ['an unknown pull policy', { set: ['image.pullPolicy=Sometimes'] }, /image\/pullPolicy/],
    [
      'provided mode without its Secret and CA',
      { set: ['certificates.mode=provided'] },
      /certificates\/provided\/secretName': minLength/,
    ],
    [
      'a caBundle that is not base64',
      {
        set: [
          'certificates.mode=provided',
          'certificates.provided.secretName=s',
          'certificates.provided.caBundle=not base64!',
        ],
      },
      /caBundle/,
    ],
    ['a misspelt top-level key', { set: ['replicas=3'] }, /additional properties 'replicas' not allowed/],
    [
      'a disruption budget that is not a number or a percentage',
      { set: ['podDisruptionBudget.minAvailable=lots'] },
      /podDisruptionBudget\/minAvailable/,
    ],
    ['a name that is not a DNS label', { set: ['fullnameOverride=Bad_Name'] }, /fullnameOverride/],
    ['a config that is not an object', { set: ['config=oops'] }, /\/config/],
    [
      'a raw jsonconfig that is not JSON',
      { setJson: ['configmap.jsonconfig="{not json"'] },
      /configmap\.jsonconfig must be a JSON object/,
    ],
    [
      'a raw jsonconfig that is not an object',
      { setJson: ['configmap.jsonconfig="[1]"'] },
      /configmap\.jsonconfig must be a JSON object/,
    ],
    [
      "a raw jsonconfig that does not name the release's objects",
      { set: ['fullnameOverride=dko'], setJson: ['configmap.jsonconfig="{}"'] },
      /configmap\.jsonconfig: tls\.secret_name is "datakit-operator-tls" but this release needs "dko-tls"/,
    ],
  ];
  for (const [name, options, message] of rejected) {
    it(`refuses ${name}`, () => {
      const run = helmTemplate(options);
      assert.notEqual(run.status, 0, `helm template accepted ${JSON.stringify(options)}`);
      assert.match(run.stderr, message);
    });
  }

  it('carries the operator version as chart version and appVersion', () => {
    const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as {
      name: string;
      version: string;
      appVersion: string;
    };
    assert.equal(chart.name, 'datakit-operator', 'the manual installs the chart by this name');
    assert.equal(chart.version, packageVersion());
    assert.equal(chart.appVersion, packageVersion());
  });

  it('embeds exactly the output of `datakit-operator config default`', () => {
    assert.equal(
      readFileSync(join(CHART_DIR, 'files/default-config.json'), 'utf8'),
      `${defaultConfigJson()}\n`,
    );
  });
});

describe('deploy/datakit-operator.yaml', { timeout: HELM_TIMEOUT_MS }, () => {
  it('is what scripts/render-manifest.sh renders from the chart now (run it after a chart change)', () => {
    assert.equal(readDeployManifest(), renderDeployManifest());
  });

  it("opens with the manual's commands and a do-not-edit note", () => {
    const header = readDeployManifest().split('\n---')[0] ?? '';
    assert.match(header, /kubectl create namespace datakit\n#\s+kubectl apply -f datakit-operator\.yaml/);
    assert.match(header, /GENERATED from charts\/datakit-operator by scripts\/render-manifest\.sh/);
  });
});
