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
import { validateObjects } from './kubernetes-schemas.ts';
import {
  CHART_DIR,
  CI_VALUES_DIR,
  HELM_TIMEOUT_MS,
  helmTemplate,
  packageVersion,
  readDeployManifest,
  renderChart,
  renderDeployManifest,
  renderNotes,
  runHelm,
  theOne,
  type KubeObject,
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
    [
      'an autoscaler whose minimum is above its maximum',
      { set: ['autoscaling.enabled=true', 'autoscaling.minReplicas=6', 'autoscaling.maxReplicas=3'] },
      /autoscaling\.minReplicas \(6\) is above autoscaling\.maxReplicas \(3\)/,
    ],
    [
      'a CPU target that is not a percentage',
      { set: ['autoscaling.targetCPUUtilizationPercentage=150'] },
      /autoscaling\/targetCPUUtilizationPercentage/,
    ],
    ['an env map whose value is an object', { setJson: ['env={"A":{"b":1}}'] }, /\/env/],
    ['an env list entry without a name', { setJson: ['env=[{"value":"x"}]'] }, /\/env/],
    ['an unknown selector style', { set: ['selectorStyle=mine'] }, /selectorStyle/],
    [
      'an unknown key under admissionregistration',
      { set: ['admissionregistration.webhooks.url=x'] },
      /admissionregistration\/webhooks/,
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

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}
function operatorEnv(objects: readonly KubeObject[]): EnvVar[] {
  const deployment = theOne(objects, 'Deployment') as unknown as {
    spec: { template: { spec: { containers: { env?: EnvVar[] }[] } } };
  };
  return deployment.spec.template.spec.containers[0]?.env ?? [];
}
function deploymentReplicas(objects: readonly KubeObject[]): number | undefined {
  return (theOne(objects, 'Deployment') as unknown as { spec: { replicas?: number } }).spec.replicas;
}

// SPEC §12.1: the manual's `helm get values -a > values.yaml; helm upgrade … -f values.yaml` from the
// upstream Go operator's chart. ci/upstream-1.5.18-values.yaml is such a values file.
describe(
  'values from the upstream chart (upgrading from the Go operator)',
  { timeout: HELM_TIMEOUT_MS },
  () => {
    const UPSTREAM = 'upstream-1.5.18-values.yaml';

    it("renders upstream's `helm get values -a` without a warning from Helm's value merge", () => {
      const run = helmTemplate({ valuesFiles: [UPSTREAM] });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr, '', 'no "cannot overwrite table" or other warning');
    });

    const envCases: readonly [string, TemplateOptions, EnvVar[]][] = [
      [
        "upstream's map of name → value, every value a string",
        { valuesFiles: [UPSTREAM] },
        [
          { name: 'ENV_LOG_LEVEL', value: 'debug' },
          { name: 'GOMAXPROCS', value: '2' },
        ],
      ],
      [
        'a list of EnvVar, as it is',
        {
          setJson: [
            'env=[{"name":"B","value":"1"},{"name":"A","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}]',
          ],
        },
        [
          { name: 'B', value: '1' },
          { name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        ],
      ],
      ['an empty map', { setJson: ['env={}'] }, []],
      ['no env at all (the default)', {}, []],
    ];
    for (const [name, options, extra] of envCases) {
      it(`passes env as ${name}, after POD_NAMESPACE`, () => {
        const env = operatorEnv(renderChart(options));
        assert.equal(env[0]?.name, 'POD_NAMESPACE');
        assert.deepEqual(env.slice(1), extra);
      });
    }

    it('runs a HorizontalPodAutoscaler from autoscaling.*, and leaves replicas to it', () => {
      const objects = renderChart({
        set: [
          'autoscaling.enabled=true',
          'autoscaling.minReplicas=2',
          'autoscaling.maxReplicas=7',
          'autoscaling.targetCPUUtilizationPercentage=60',
          'autoscaling.targetMemoryUtilizationPercentage=70',
        ],
      });
      assert.deepEqual(validateObjects(objects), { problems: [], unchecked: [] });
      const autoscaler = theOne(objects, 'HorizontalPodAutoscaler') as unknown as { spec: unknown };
      assert.deepEqual(autoscaler.spec, {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'datakit-operator' },
        minReplicas: 2,
        maxReplicas: 7,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
          },
          {
            type: 'Resource',
            resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      });
      assert.equal(deploymentReplicas(objects), undefined, 'the autoscaler owns replicas');
    });

    it('has no HorizontalPodAutoscaler with autoscaling.enabled false (upstream values included)', () => {
      const objects = renderChart({ valuesFiles: [UPSTREAM] });
      assert.equal(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').length, 0);
      assert.equal(deploymentReplicas(objects), 1);
    });

    it('keeps its hardening when upstream values bring empty security contexts', () => {
      const deployment = theOne(renderChart({ valuesFiles: [UPSTREAM] }), 'Deployment') as unknown as {
        spec: {
          template: {
            spec: {
              securityContext: Record<string, unknown>;
              containers: { securityContext: Record<string, unknown>; resources: unknown }[];
            };
          };
        };
      };
      const pod = deployment.spec.template.spec;
      assert.equal(pod.securityContext['runAsNonRoot'], true);
      assert.equal(pod.containers[0]?.securityContext['readOnlyRootFilesystem'], true);
      assert.deepEqual(pod.containers[0]?.resources, {
        limits: { cpu: '500m', memory: '512Mi' },
        requests: { cpu: '100m', memory: '64Mi' },
      });
    });

    it("ignores upstream's caBundle: the operator writes the webhook's caBundle itself", () => {
      const objects = renderChart({ valuesFiles: [UPSTREAM] });
      const configuration = theOne(objects, 'MutatingWebhookConfiguration') as unknown as {
        webhooks: { clientConfig: { caBundle?: string } }[];
      };
      assert.equal(configuration.webhooks[0]?.clientConfig.caBundle, undefined);
    });

    const LEGACY_CA =
      /admissionregistration\.webhooks\.caBundle no longer applies and is ignored: .*Secret datakit-operator-tls/;
    const GO_IMAGE =
      /UPGRADE TRAP: image\.tag "1\.5\.18" names a 1\.x release, the Go operator's image.*Set image\.tag to ""/;
    const ONE_REPLICA =
      /UPGRADE TRAP: replicaCount 1 with the PodDisruptionBudget's minAvailable: 1: a node drain can never evict the only replica/;
    const ONE_AUTOSCALED =
      /UPGRADE TRAP: autoscaling\.minReplicas 1 with the PodDisruptionBudget's minAvailable: 1/;
    const AUTOSCALER =
      /HorizontalPodAutoscaler datakit-operator scales the Deployment between 1 and 100 replicas/;
    const RAW_DOCUMENT =
      /configmap\.jsonconfig is used as it is; check it with `datakit-operator config validate`/;
    const ALL = [LEGACY_CA, GO_IMAGE, ONE_REPLICA, ONE_AUTOSCALED, AUTOSCALER, RAW_DOCUMENT];
    const notesCases: readonly [string, TemplateOptions, RegExp[]][] = [
      ['the defaults', {}, []],
      [
        "upstream's `helm get values -a`",
        { valuesFiles: [UPSTREAM] },
        [LEGACY_CA, ONE_REPLICA, RAW_DOCUMENT],
      ],
      [
        'the Go image pinned',
        { valuesFiles: [UPSTREAM], set: ['image.tag=1.5.18', 'replicaCount=2'] },
        [LEGACY_CA, GO_IMAGE, RAW_DOCUMENT],
      ],
      ['a v-prefixed 1.x tag', { set: ['image.tag=v1.8.10'] }, [/UPGRADE TRAP: image\.tag "v1\.8\.10"/]],
      ['one replica without a budget', { set: ['replicaCount=1', 'podDisruptionBudget.enabled=false'] }, []],
      [
        'one replica with a budget that allows an eviction',
        { set: ['replicaCount=1', 'podDisruptionBudget.maxUnavailable=1'] },
        [],
      ],
      [
        'an autoscaler from one replica',
        { valuesFiles: [UPSTREAM], set: ['autoscaling.enabled=true', 'replicaCount=2'] },
        [LEGACY_CA, ONE_AUTOSCALED, AUTOSCALER, RAW_DOCUMENT],
      ],
    ];
    for (const [name, options, expected] of notesCases) {
      it(`reports in NOTES.txt what applies to ${name}`, () => {
        const notes = renderNotes(options);
        for (const pattern of ALL) {
          assert.equal(pattern.test(notes), expected.includes(pattern), `${String(pattern)} in:\n${notes}`);
        }
        assert.equal(
          /Upgrade notes/.test(notes),
          expected.length > 0 || options.valuesFiles !== undefined,
          notes,
        );
      });
    }
  },
);
