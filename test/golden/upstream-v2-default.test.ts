// Upstream 1.8.10's shipped v2 configuration (reference §1.10), loaded as a user would paste it: the same
// results as upstream apart from anchoring — its Java rule needs no annotation and comes first, so every
// pod of `default` gets Java and the python, php and nodejs rules are never chosen (and loading says so);
// its logfwd rule gives every such pod the logfwd sidecar; its flameshot rule (no processes) and its
// loggings rule (no selectors) never inject. `my-default-ns`, which upstream's unanchored "default" also
// hits, is left alone.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handleAdmission } from '../../src/admission/handle.ts';
import { resolveConfig } from '../../src/config/schema.ts';
import { UPSTREAM_V2_DEFAULT_DOCUMENT } from '../../src/config/v2/upstream-default.ts';
import type { Pod } from '../../src/podspec/types.ts';
import { applyPatch, buildReview, configFrom, decodePatch } from '../support/admission.ts';

const config = configFrom(UPSTREAM_V2_DEFAULT_DOCUMENT);
const JAVA_IMAGE = 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.60.4-ext';

function pod(namespace: string, annotations: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app', namespace, labels: { app: 'shop' }, annotations },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] },
  };
}

function admit(input: Pod): Pod {
  const decision = handleAdmission(buildReview(input), { config, serverVersion: undefined });
  return applyPatch(input, decodePatch(decision.review));
}

describe("upstream 1.8.10's default v2 configuration", () => {
  it('loads, warning that the python, php and nodejs rules can never be chosen', () => {
    const result = resolveConfig(UPSTREAM_V2_DEFAULT_DOCUMENT);
    assert.ok(result.ok);
    const shadowed = result.value.warnings.filter((w) => w.includes('can never be chosen'));
    assert.deepEqual(
      shadowed.map((w) => w.slice(0, w.indexOf(':'))),
      [
        'admission_inject_v2.ddtraces[1]',
        'admission_inject_v2.ddtraces[2]',
        'admission_inject_v2.ddtraces[3]',
      ],
    );
  });

  const cases: readonly {
    name: string;
    namespace: string;
    annotations: Record<string, string>;
    image: string | undefined;
  }[] = [
    {
      name: 'a pod of default gets the Java agent without any annotation',
      namespace: 'default',
      annotations: {},
      image: JAVA_IMAGE,
    },
    {
      name: 'a php annotation does not choose the php rule: Java comes first and needs none',
      namespace: 'default',
      annotations: { 'admission.datakit/php-lib.version': '1.13.1' },
      image: JAVA_IMAGE,
    },
    {
      name: 'a java version annotation is ignored (check_annotation: false)',
      namespace: 'default',
      annotations: { 'admission.datakit/java-lib.version': 'v9' },
      image: JAVA_IMAGE,
    },
    {
      name: 'my-default-ns is not injected (upstream would: unanchored "default")',
      namespace: 'my-default-ns',
      annotations: {},
      image: undefined,
    },
    { name: 'another namespace is not injected', namespace: 'prod', annotations: {}, image: undefined },
  ];
  for (const { name, namespace, annotations, image } of cases) {
    it(name, () => {
      const result = admit(pod(namespace, annotations));
      const init = result.spec?.initContainers?.find((c) => c.name === 'datakit-lib-init');
      assert.equal(init?.image, image);
      const sidecars = (result.spec?.containers ?? []).map((c) => c.name).filter((n) => n !== 'app');
      assert.deepEqual(sidecars, image === undefined ? [] : ['datakit-logfwd']);
      assert.equal(result.metadata?.annotations?.['datakit/logs'], undefined);
      if (image === undefined) return;
      assert.equal(init?.imagePullPolicy, 'Always');
      assert.deepEqual(init?.resources, {
        requests: { cpu: '100m', memory: '64Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      });
      const env = result.spec?.containers?.[0]?.env ?? [];
      assert.deepEqual(
        env.map((e) => e.name),
        [
          'DD_AGENT_HOST',
          'DD_TRACE_AGENT_PORT',
          'DD_JMXFETCH_STATSD_HOST',
          'DD_JMXFETCH_STATSD_PORT',
          'DD_SERVICE',
          'POD_NAME',
          'POD_NAMESPACE',
          'NODE_NAME',
          'DD_TAGS',
          'JAVA_TOOL_OPTIONS',
        ],
      );
      assert.deepEqual(env[4]?.valueFrom, { fieldRef: { fieldPath: "metadata.labels['app']" } });
    });
  }
});
