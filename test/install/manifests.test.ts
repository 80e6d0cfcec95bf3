// The install objects (SPEC §12) as `kubectl apply` and `helm install` would create them: the committed
// plain manifest and `helm template` with several values files, each validated against the Kubernetes
// schemas and checked for every setting the SPEC names, and for the operator config the ConfigMap hands
// to the operator (it must load, and name the objects of THIS release).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basename, dirname } from 'node:path';
import { servingSubjectAltNames } from '../../src/certs/certificate-bundle.ts';
import { DEFAULT_CONFIG_DOCUMENT } from '../../src/config/defaults.ts';
import { parseConfigText } from '../../src/config/load.ts';
import { resolveOperatorNamespace } from '../../src/kube/operator-namespace.ts';
import { selectorMatches, validateObjects } from './kubernetes-schemas.ts';
import {
  HELM_TIMEOUT_MS,
  ofKind,
  packageVersion,
  parseManifest,
  readDeployManifest,
  renderChart,
  theOne,
  type KubeObject,
} from './support.ts';
import { detailsOf } from '../../src/errors/problem.ts';

type CertificateMode = 'self' | 'certManager' | 'provided';

interface Scenario {
  readonly name: string;
  readonly objects: () => KubeObject[];
  readonly namespace: string;
  readonly fullname: string;
  readonly mode: CertificateMode;
  readonly replicas: number;
  readonly serviceAccount: string;
  readonly failurePolicy: 'Ignore' | 'Fail';
  readonly timeoutSeconds: number;
  readonly disruption: { minAvailable: number } | { maxUnavailable: number };
  readonly providedSecret?: string;
  readonly issuer?: { name: string; kind: string };
  /** The ConfigMap holds the complete default document (with the release's keys). */
  readonly fullDefaultConfig: boolean;
  /**
   * The Deployment's spec.selector: the upstream Go operator's on the same path, because Kubernetes never
   * lets it change (SPEC §12.1).
   */
  readonly selector: Readonly<Record<string, string>>;
}

/** Upstream's plain manifest: `{app: datakit-operator}`. */
const MANIFEST_SELECTOR = { app: 'datakit-operator' };
/** Upstream's chart: `{app: <fullname>, app.kubernetes.io/name: <name>, app.kubernetes.io/instance: <release>}`. */
function chartSelector(fullname: string, release: string): Record<string, string> {
  return {
    app: fullname,
    'app.kubernetes.io/name': 'datakit-operator',
    'app.kubernetes.io/instance': release,
  };
}

const base = {
  namespace: 'datakit',
  fullname: 'datakit-operator',
  mode: 'self',
  replicas: 2,
  serviceAccount: 'datakit-operator',
  failurePolicy: 'Ignore',
  timeoutSeconds: 5,
  disruption: { minAvailable: 1 },
  fullDefaultConfig: false,
  selector: chartSelector('datakit-operator', 'datakit-operator'),
} as const;

const SCENARIOS: readonly Scenario[] = [
  {
    ...base,
    name: 'the plain manifest deploy/datakit-operator.yaml',
    objects: () => parseManifest(readDeployManifest()),
    fullDefaultConfig: true,
    selector: MANIFEST_SELECTOR,
  },
  {
    ...base,
    name: 'helm template with the default values',
    objects: () => renderChart({ valuesFiles: ['default-values.yaml'] }),
    fullDefaultConfig: true,
  },
  {
    ...base,
    name: 'certificates.mode certManager',
    mode: 'certManager',
    objects: () => renderChart({ valuesFiles: ['cert-manager-values.yaml'] }),
    fullDefaultConfig: true,
  },
  {
    ...base,
    name: 'certificates.mode certManager with an existing ClusterIssuer',
    mode: 'certManager',
    issuer: { name: 'cluster-ca', kind: 'ClusterIssuer' },
    objects: () => renderChart({ valuesFiles: ['cert-manager-issuer-values.yaml'] }),
    fullDefaultConfig: true,
  },
  {
    ...base,
    name: 'certificates.mode provided',
    mode: 'provided',
    providedSecret: 'my-webhook-tls',
    objects: () => renderChart({ valuesFiles: ['provided-values.yaml'] }),
    fullDefaultConfig: true,
  },
  {
    ...base,
    name: 'another namespace and fullnameOverride',
    namespace: 'observability',
    fullname: 'dko',
    replicas: 3,
    serviceAccount: 'dko-sa',
    failurePolicy: 'Fail',
    timeoutSeconds: 10,
    disruption: { maxUnavailable: 1 },
    selector: chartSelector('dko', 'monitoring'),
    objects: () =>
      renderChart({
        release: 'monitoring',
        namespace: 'observability',
        valuesFiles: ['custom-name-values.yaml'],
      }),
    fullDefaultConfig: true,
  },
  {
    ...base,
    name: 'a structured config, in another namespace',
    namespace: 'apps',
    objects: () => renderChart({ namespace: 'apps', valuesFiles: ['structured-config-values.yaml'] }),
  },
  {
    ...base,
    name: 'a raw configmap.jsonconfig',
    objects: () => renderChart({ valuesFiles: ['raw-jsonconfig-values.yaml'] }),
  },
  {
    ...base,
    name: "an upgrading user's `helm get values -a` from the upstream 1.5.18 chart",
    replicas: 1,
    objects: () => renderChart({ valuesFiles: ['upstream-1.5.18-values.yaml'] }),
  },
];

const CLUSTER_SCOPED = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'MutatingWebhookConfiguration',
  'CustomResourceDefinition',
]);
const CERT_MANAGER_KINDS = new Set(['cert-manager.io/v1/Certificate', 'cert-manager.io/v1/Issuer']);
const HEALTH_PORT = 9544;
const CONFIG_MAP_KEY = 'jsonconfig';

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
}
interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
}
interface PodSpec {
  serviceAccountName: string;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes?: Volume[];
  affinity?: {
    podAntiAffinity?: {
      preferredDuringSchedulingIgnoredDuringExecution?: unknown[];
      requiredDuringSchedulingIgnoredDuringExecution?: unknown[];
    };
  };
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface Webhook {
  name: string;
  admissionReviewVersions: string[];
  clientConfig: {
    service: { name: string; namespace: string; path: string; port: number };
    caBundle?: string;
  };
  rules: { operations: string[]; apiGroups: string[]; apiVersions: string[]; resources: string[] }[];
  failurePolicy: string;
  sideEffects: string;
  timeoutSeconds: number;
  reinvocationPolicy: string;
  namespaceSelector: Parameters<typeof selectorMatches>[0];
}

function podSpecOf(objects: readonly KubeObject[]): PodSpec {
  const deployment = theOne(objects, 'Deployment') as unknown as { spec: { template: { spec: PodSpec } } };
  return deployment.spec.template.spec;
}
function operatorContainer(objects: readonly KubeObject[]): Container {
  const [container, ...others] = podSpecOf(objects).containers;
  assert.ok(container);
  assert.equal(others.length, 0, 'one container');
  return container;
}
function rulesOf(object: KubeObject): Rule[] {
  return (object as unknown as { rules: Rule[] }).rules;
}
function webhookOf(objects: readonly KubeObject[]): Webhook {
  const configuration = theOne(objects, 'MutatingWebhookConfiguration') as unknown as { webhooks: Webhook[] };
  assert.equal(configuration.webhooks.length, 1);
  return configuration.webhooks[0] as Webhook;
}
function jsonconfigOf(objects: readonly KubeObject[], fullname: string): string {
  const configMap = ofKind(objects, 'ConfigMap').find((o) => o.metadata.name === `${fullname}-config`);
  assert.ok(configMap, `ConfigMap ${fullname}-config`);
  const text = (configMap as unknown as { data: Record<string, string> }).data[CONFIG_MAP_KEY];
  assert.equal(typeof text, 'string', `the ConfigMap has key ${CONFIG_MAP_KEY}`);
  return text as string;
}
function tlsSecretName(scenario: Scenario): string {
  return scenario.providedSecret ?? `${scenario.fullname}-tls`;
}
const RECOMMENDED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance'];

function podLabels(objects: readonly KubeObject[]): Record<string, string> {
  const deployment = theOne(objects, 'Deployment') as unknown as {
    spec: { template: { metadata: { labels: Record<string, string> } } };
  };
  return deployment.spec.template.metadata.labels;
}

for (const scenario of SCENARIOS) {
  describe(`install objects: ${scenario.name}`, { timeout: HELM_TIMEOUT_MS }, () => {
    let cached: KubeObject[] | undefined;
    const objects = (): KubeObject[] => (cached ??= scenario.objects());

    it('validates against the Kubernetes schemas', () => {
      const { problems, unchecked } = validateObjects(objects());
      assert.deepEqual(problems, []);
      const expectedUnchecked = scenario.mode === 'certManager' ? [...CERT_MANAGER_KINDS] : [];
      for (const kind of unchecked) assert.ok(expectedUnchecked.includes(kind), `no schema for ${kind}`);
    });

    it(`ships no Namespace and puts every namespaced object in ${scenario.namespace}`, () => {
      assert.equal(ofKind(objects(), 'Namespace').length, 0);
      for (const object of objects()) {
        if (CLUSTER_SCOPED.has(object.kind)) assert.equal(object.metadata.namespace, undefined, object.kind);
        else
          assert.equal(
            object.metadata.namespace,
            scenario.namespace,
            `${object.kind} ${object.metadata.name}`,
          );
      }
    });

    it('selects its pods with the upstream selector of its path, in every object that selects them', () => {
      const deployment = theOne(objects(), 'Deployment') as unknown as {
        spec: { selector: { matchLabels: Record<string, string>; matchExpressions?: unknown } };
      };
      assert.deepEqual(deployment.spec.selector, { matchLabels: scenario.selector });
      const service = theOne(objects(), 'Service') as unknown as {
        spec: { selector: Record<string, string> };
      };
      assert.deepEqual(
        service.spec.selector,
        scenario.selector,
        'the Service selects what the Deployment does',
      );
      const budget = theOne(objects(), 'PodDisruptionBudget') as unknown as {
        spec: { selector: unknown };
      };
      assert.deepEqual(budget.spec.selector, { matchLabels: scenario.selector });
      const [term, ...more] =
        (podSpecOf(objects()).affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution as
          { podAffinityTerm: { labelSelector: unknown } }[] | undefined) ?? [];
      assert.equal(more.length, 0);
      assert.deepEqual(term?.podAffinityTerm.labelSelector, { matchLabels: scenario.selector });
      const labels = podLabels(objects());
      for (const [key, value] of Object.entries(scenario.selector)) assert.equal(labels[key], value, key);
      assert.equal(labels['app'], scenario.fullname, 'pod label app, as upstream');
      for (const key of RECOMMENDED_LABELS) assert.ok(labels[key], `the recommended label ${key} stays`);
    });

    it('grants least privilege, without wildcards', () => {
      const role = theOne(objects(), 'Role');
      const clusterRole = theOne(objects(), 'ClusterRole');
      for (const rule of [...rulesOf(role), ...rulesOf(clusterRole)]) {
        for (const field of [rule.apiGroups, rule.resources, rule.verbs, rule.resourceNames ?? []]) {
          assert.ok(!field.includes('*'), `no wildcard in ${JSON.stringify(rule)}`);
        }
      }
      const expectedRole: Rule[] = [
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
        },
      ];
      const expectedClusterRole: Rule[] = [
        { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], verbs: ['create'] },
        // Issue 15: the ClusterLoggingConfig and Pod watch caches, and the Pod API's caller check.
        {
          apiGroups: ['logging.datakits.io'],
          resources: ['clusterloggingconfigs'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      ];
      if (scenario.mode === 'self') {
        expectedRole.push(
          { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: [tlsSecretName(scenario)],
            verbs: ['get', 'list', 'watch', 'update'],
          },
        );
        expectedClusterRole.push({
          apiGroups: ['admissionregistration.k8s.io'],
          resources: ['mutatingwebhookconfigurations'],
          resourceNames: [`${scenario.fullname}-mutation`],
          verbs: ['get', 'list', 'watch', 'patch', 'update'],
        });
      }
      assert.deepEqual(rulesOf(role), expectedRole);
      assert.deepEqual(rulesOf(clusterRole), expectedClusterRole);
      for (const [bindingKind, roleObject] of [
        ['RoleBinding', role],
        ['ClusterRoleBinding', clusterRole],
      ] as const) {
        const binding = theOne(objects(), bindingKind) as unknown as {
          roleRef: { kind: string; name: string };
          subjects: unknown[];
        };
        assert.deepEqual(binding.roleRef, {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: roleObject.kind,
          name: roleObject.metadata.name,
        });
        assert.deepEqual(binding.subjects, [
          { kind: 'ServiceAccount', name: scenario.serviceAccount, namespace: scenario.namespace },
        ]);
      }
      assert.equal(theOne(objects(), 'ServiceAccount').metadata.name, scenario.serviceAccount);
      assert.equal(podSpecOf(objects()).serviceAccountName, scenario.serviceAccount);
    });

    it('registers the webhook with the settings of SPEC §12', () => {
      const configuration = theOne(objects(), 'MutatingWebhookConfiguration');
      assert.equal(configuration.metadata.name, `${scenario.fullname}-mutation`);
      const webhook = webhookOf(objects());
      assert.equal(webhook.name, 'mutation.datakit.svc');
      assert.deepEqual(webhook.admissionReviewVersions, ['v1']);
      assert.deepEqual(webhook.rules, [
        {
          operations: ['CREATE'],
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['pods'],
          scope: 'Namespaced',
        },
      ]);
      assert.deepEqual(webhook.clientConfig.service, {
        name: scenario.fullname,
        namespace: scenario.namespace,
        path: '/v1/webhooks/inject',
        port: 443,
      });
      assert.equal(webhook.failurePolicy, scenario.failurePolicy);
      assert.equal(webhook.timeoutSeconds, scenario.timeoutSeconds);
      assert.equal(webhook.sideEffects, 'None');
      assert.equal(webhook.reinvocationPolicy, 'IfNeeded');
      const namespaces: readonly [Record<string, string>, boolean][] = [
        [{ 'kubernetes.io/metadata.name': 'kube-system' }, false],
        [{ 'kubernetes.io/metadata.name': 'kube-node-lease' }, false],
        [{ 'kubernetes.io/metadata.name': 'shop', 'admission.datakit/enabled': 'false' }, false],
        [{ 'kubernetes.io/metadata.name': 'shop', 'admission.datakit/enabled': 'true' }, true],
        [{ 'kubernetes.io/metadata.name': 'default' }, true],
        [{ 'kubernetes.io/metadata.name': 'datakit' }, true],
      ];
      for (const [labels, selected] of namespaces) {
        assert.equal(selectorMatches(webhook.namespaceSelector, labels), selected, JSON.stringify(labels));
      }
      const annotation = configuration.metadata.annotations?.['cert-manager.io/inject-ca-from'];
      if (scenario.mode === 'certManager')
        assert.equal(annotation, `${scenario.namespace}/${scenario.fullname}`);
      else assert.equal(annotation, undefined);
      if (scenario.mode === 'provided') assert.match(webhook.clientConfig.caBundle ?? '', /^LS0tLS1CRUdJTi/);
      else
        assert.equal(
          webhook.clientConfig.caBundle,
          undefined,
          'the operator or cert-manager writes caBundle',
        );
    });

    it('exposes Service 443 → 9543 for the operator pods', () => {
      const service = theOne(objects(), 'Service') as unknown as KubeObject & {
        spec: { selector: Record<string, string>; ports: { port: number; targetPort: number }[] };
      };
      assert.equal(service.metadata.name, scenario.fullname);
      assert.deepEqual(
        service.spec.ports.map(({ port, targetPort }) => [port, targetPort]),
        [[443, 9543]],
      );
      assert.ok(selectorMatches({ matchLabels: service.spec.selector }, podLabels(objects())));
      const ports = operatorContainer(objects()).ports ?? [];
      assert.ok(ports.some((port) => port.containerPort === 9543));
    });

    it(`runs ${scenario.replicas} hardened replicas of the released image, with probes on the health port`, () => {
      const deployment = theOne(objects(), 'Deployment') as unknown as { spec: { replicas: number } };
      assert.equal(deployment.spec.replicas, scenario.replicas);
      const spec = podSpecOf(objects());
      assert.equal(spec.securityContext?.['runAsNonRoot'], true);
      const container = operatorContainer(objects());
      assert.equal(
        container.image,
        `pubrepo.guance.com/datakit-operator/datakit-operator:${packageVersion()}`,
      );
      assert.equal(container.securityContext?.['readOnlyRootFilesystem'], true);
      assert.equal(container.securityContext?.['allowPrivilegeEscalation'], false);
      assert.equal(container.securityContext?.['runAsNonRoot'], true);
      assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL']);
      const healthPortName = container.ports?.find((port) => port.containerPort === HEALTH_PORT)?.name;
      assert.ok(healthPortName);
      const probes = [
        [container.livenessProbe, '/healthz'],
        [container.readinessProbe, '/readyz'],
        [container.startupProbe, '/healthz'],
      ] as const;
      for (const [probe, path] of probes) assert.deepEqual(probe?.httpGet, { path, port: healthPortName });
      const podNamespace = container.env?.find((env) => env.name === 'POD_NAMESPACE');
      assert.deepEqual(podNamespace?.valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
      const antiAffinity = spec.affinity?.podAntiAffinity;
      assert.equal(
        antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
        undefined,
        'soft, never required',
      );
      assert.equal(antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length, 1);
      const budget = theOne(objects(), 'PodDisruptionBudget') as unknown as {
        spec: {
          minAvailable?: number;
          maxUnavailable?: number;
          selector: { matchLabels: Record<string, string> };
        };
      };
      const { selector, ...disruption } = budget.spec;
      assert.deepEqual(disruption, scenario.disruption);
      assert.ok(selectorMatches(selector, podLabels(objects())));
    });

    it('mounts the ConfigMap as a watched file and passes it with --config', () => {
      const container = operatorContainer(objects());
      const volume = podSpecOf(objects()).volumes?.find(
        (v) => v.configMap?.name === `${scenario.fullname}-config`,
      );
      assert.ok(volume);
      const mount = container.volumeMounts?.find((m) => m.name === volume.name);
      assert.ok(mount);
      assert.equal(mount.subPath, undefined, 'a subPath mount never sees ConfigMap updates');
      const item = volume.configMap?.items?.find((i) => i.key === CONFIG_MAP_KEY);
      assert.ok(item);
      assert.deepEqual(container.args, ['serve', '--config', `${mount.mountPath}/${item.path}`]);
    });

    it("hands the operator a config that loads and names this release's objects", () => {
      const text = jsonconfigOf(objects(), scenario.fullname);
      const loaded = parseConfigText(text, 'ConfigMap', {});
      assert.ok(loaded.ok, loaded.ok ? '' : `${loaded.error.message}: ${detailsOf(loaded.error).join('; ')}`);
      assert.deepEqual(loaded.value.warnings, []);
      const { config } = loaded.value;
      // The pod's POD_NAMESPACE (checked above) covers a document that leaves `namespace` empty.
      const namespace = resolveOperatorNamespace({
        configured: config.namespace,
        env: { POD_NAMESPACE: scenario.namespace },
        serviceAccountNamespace: undefined,
      });
      assert.equal(namespace, scenario.namespace);
      assert.equal(config.tls.service_name, theOne(objects(), 'Service').metadata.name);
      assert.equal(
        config.tls.webhook_config_name,
        theOne(objects(), 'MutatingWebhookConfiguration').metadata.name,
      );
      assert.equal(config.tls.secret_name, tlsSecretName(scenario));
      if (scenario.mode === 'self') {
        assert.ok(config.tls.mode === 'self-managed' || config.tls.mode === 'auto');
      } else {
        assert.ok(config.tls.mode === 'files' || config.tls.mode === 'auto');
        const volume = podSpecOf(objects()).volumes?.find(
          (v) => v.secret?.secretName === tlsSecretName(scenario),
        );
        assert.ok(volume, 'the certificate Secret is mounted');
        const mount = operatorContainer(objects()).volumeMounts?.find((m) => m.name === volume.name);
        assert.equal(dirname(config.tls.cert_file), mount?.mountPath);
        assert.equal(dirname(config.tls.key_file), mount?.mountPath);
        const paths = (volume.secret?.items ?? []).map((i) => i.path);
        assert.ok(
          paths.includes(basename(config.tls.cert_file)) && paths.includes(basename(config.tls.key_file)),
        );
      }
      if (scenario.fullDefaultConfig) {
        const document = JSON.parse(text) as typeof DEFAULT_CONFIG_DOCUMENT;
        const tlsMode = scenario.mode === 'self' ? 'self-managed' : 'files';
        const expected = {
          ...DEFAULT_CONFIG_DOCUMENT,
          namespace: scenario.namespace,
          tls: {
            ...DEFAULT_CONFIG_DOCUMENT.tls,
            mode: tlsMode,
            secret_name: tlsSecretName(scenario),
            service_name: scenario.fullname,
            webhook_config_name: `${scenario.fullname}-mutation`,
          },
        };
        assert.deepEqual(
          document,
          expected,
          'the complete default configuration, with the release filled in',
        );
        assert.deepEqual(
          Object.keys(document.admission_inject.ddtrace.envs),
          Object.keys(DEFAULT_CONFIG_DOCUMENT.admission_inject.ddtrace.envs),
          'env order is significant and kept',
        );
      }
    });

    if (scenario.mode === 'certManager') {
      it('asks cert-manager for a certificate covering every Service name, stored in the mounted Secret', () => {
        const certificate = theOne(objects(), 'Certificate') as unknown as KubeObject & {
          spec: { secretName: string; dnsNames: string[]; issuerRef: { name: string; kind: string } };
        };
        assert.equal(certificate.metadata.name, scenario.fullname);
        assert.equal(certificate.spec.secretName, tlsSecretName(scenario));
        assert.deepEqual(
          certificate.spec.dnsNames,
          servingSubjectAltNames(scenario.fullname, scenario.namespace),
        );
        if (scenario.issuer) {
          assert.equal(ofKind(objects(), 'Issuer').length, 0);
          assert.deepEqual(certificate.spec.issuerRef, { ...scenario.issuer, group: 'cert-manager.io' });
        } else {
          const issuer = theOne(objects(), 'Issuer') as unknown as KubeObject & {
            spec: Record<string, unknown>;
          };
          assert.deepEqual(issuer.spec, { selfSigned: {} });
          assert.deepEqual(certificate.spec.issuerRef, {
            name: issuer.metadata.name,
            kind: 'Issuer',
            group: 'cert-manager.io',
          });
        }
      });
    }
  });
}

describe('configuration flavours of the chart', { timeout: HELM_TIMEOUT_MS }, () => {
  it('merges a structured config into the defaults in the operator', () => {
    const objects = renderChart({ namespace: 'apps', valuesFiles: ['structured-config-values.yaml'] });
    const loaded = parseConfigText(jsonconfigOf(objects, 'datakit-operator'), 'cm', {});
    assert.ok(loaded.ok);
    const { config } = loaded.value;
    assert.equal(config.log_level, 'debug');
    assert.deepEqual(
      config.admission_inject.ddtrace.enabled_namespaces.map(({ namespace, language }) => [
        namespace,
        language,
      ]),
      [['^shop-.*$', 'java']],
    );
    assert.equal(config.admission_inject.profiler.options.sidecar_mode, 'native');
    assert.equal(
      config.admission_inject.ddtrace.images.java_agent_image,
      DEFAULT_CONFIG_DOCUMENT.admission_inject.ddtrace.images.java_agent_image,
    );
    assert.deepEqual(
      config.admission_inject.ddtrace.envs.map((env) => env.name),
      Object.keys(DEFAULT_CONFIG_DOCUMENT.admission_inject.ddtrace.envs),
    );
  });

  it('uses a raw configmap.jsonconfig as it is', () => {
    const objects = renderChart({ valuesFiles: ['raw-jsonconfig-values.yaml'] });
    const text = jsonconfigOf(objects, 'datakit-operator');
    assert.match(text, /^\{\n {2}"log_level": "warn",/);
    const loaded = parseConfigText(text, 'cm', {});
    assert.ok(loaded.ok);
    assert.deepEqual(
      loaded.value.config.admission_inject.ddtrace.envs.map((env) => env.name),
      ['DD_AGENT_HOST', 'DD_TRACE_AGENT_PORT'],
    );
  });
});
