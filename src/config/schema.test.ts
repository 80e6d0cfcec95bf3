import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from './schema.ts';
import { DEFAULT_CONFIG_DOCUMENT } from './defaults.ts';
import type { OperatorConfig } from './types.ts';

function resolved(document: unknown): OperatorConfig {
  const result = resolveConfig(document);
  assert.ok(result.ok, `expected a valid config, got ${JSON.stringify(result)}`);
  return result.value.config;
}

function errorsOf(result: ReturnType<typeof resolveConfig>): string[] {
  assert.ok(!result.ok, 'expected the config to be rejected');
  return result.error.map((problem) => problem.message);
}

const defaultDdtraceEnvNames = Object.keys(DEFAULT_CONFIG_DOCUMENT.admission_inject.ddtrace.envs);

describe('resolveConfig: merging over the defaults', () => {
  it('keeps every default image and env when only enabled_namespaces is given', () => {
    const config = resolved({
      admission_inject: { ddtrace: { enabled_namespaces: [{ namespace: 'testns', language: 'java' }] } },
    });
    const ddtrace = config.admission_inject.ddtrace;
    assert.equal(ddtrace.enabled_namespaces.length, 1);
    assert.equal(
      ddtrace.images.java_agent_image,
      DEFAULT_CONFIG_DOCUMENT.admission_inject.ddtrace.images.java_agent_image,
    );
    assert.deepEqual(
      ddtrace.envs.map((e) => e.name),
      defaultDdtraceEnvNames,
    );
  });

  const cases: readonly {
    name: string;
    document: unknown;
    check: (config: OperatorConfig) => void;
  }[] = [
    {
      name: 'an envs object replaces the default envs as a whole, so a default env can be dropped',
      document: { admission_inject: { ddtrace: { envs: { DD_AGENT_HOST: 'dk.example', EXTRA: 'x' } } } },
      check: (c) =>
        assert.deepEqual(c.admission_inject.ddtrace.envs, [
          { name: 'DD_AGENT_HOST', value: 'dk.example' },
          { name: 'EXTRA', value: 'x' },
        ]),
    },
    {
      name: 'an empty envs object removes every default env',
      document: { admission_inject: { profiler: { envs: {} } } },
      check: (c) => assert.deepEqual(c.admission_inject.profiler.envs, []),
    },
    {
      name: 'envs keep document order, not alphabetical order',
      document: { admission_inject: { ddtrace: { envs: { Z: '1', A: '2', M: '3' } } } },
      check: (c) =>
        assert.deepEqual(
          c.admission_inject.ddtrace.envs.map((e) => e.name),
          ['Z', 'A', 'M'],
        ),
    },
    {
      name: 'an image object merges key by key',
      document: { admission_inject: { ddtrace: { images: { python_agent_image: 'my.registry/py:1' } } } },
      check: (c) => {
        assert.equal(c.admission_inject.ddtrace.images.python_agent_image, 'my.registry/py:1');
        assert.equal(
          c.admission_inject.ddtrace.images.js_agent_image,
          DEFAULT_CONFIG_DOCUMENT.admission_inject.ddtrace.images.js_agent_image,
        );
      },
    },
    {
      name: 'resources merge down to each resource name',
      document: { admission_inject: { logfwd: { resources: { limits: { memory: '1Gi' } } } } },
      check: (c) =>
        assert.deepEqual(c.admission_inject.logfwd.resources, {
          requests: { cpu: '100m', memory: '64Mi' },
          limits: { cpu: '500m', memory: '1Gi' },
        }),
    },
    {
      name: 'an array replaces the default array',
      document: {
        admission_inject: {
          ddtrace: { enabled_labelselectors: [{ labelselector: 'app=a', language: 'python' }] },
        },
      },
      check: (c) =>
        assert.deepEqual(
          c.admission_inject.ddtrace.enabled_labelselectors.map((r) => r.labelselector),
          ['app=a'],
        ),
    },
    {
      name: 'a top-level scalar replaces its default and leaves the rest',
      document: { log_level: 'debug' },
      check: (c) => {
        assert.equal(c.log_level, 'debug');
        assert.equal(c.server_listen, '0.0.0.0:9543');
      },
    },
    {
      name: 'an election value merges into the election defaults',
      document: { election: { lease_duration_seconds: 60 } },
      check: (c) =>
        assert.deepEqual(c.election, {
          store: 'auto',
          lease_duration_seconds: 60,
          interval_seconds: 3,
          max_scopes: 1000,
        }),
    },
  ];
  for (const { name, document, check } of cases) {
    it(name, () => check(resolved(document)));
  }

  it('does not change the defaults while merging', () => {
    const before = JSON.stringify(DEFAULT_CONFIG_DOCUMENT);
    resolved({ admission_inject: { ddtrace: { envs: { A: '1' }, images: { java_agent_image: 'x/y:1' } } } });
    assert.equal(JSON.stringify(DEFAULT_CONFIG_DOCUMENT), before);
  });
});

describe('resolveConfig: booleans', () => {
  const cases: readonly [value: unknown, expected: boolean][] = [
    ['true', true],
    ['false', false],
    [true, true],
    [false, false],
    ['True', true],
    ['0', false],
  ];
  for (const [value, expected] of cases) {
    it(`reads ${JSON.stringify(value)} as ${expected} for reuse_exist_volume and mount_host_localtime`, () => {
      const config = resolved({
        admission_inject: {
          logfwd: { options: { reuse_exist_volume: value } },
          profiler: { options: { mount_host_localtime: value } },
        },
      });
      assert.equal(config.admission_inject.logfwd.options.reuse_exist_volume, expected);
      assert.equal(config.admission_inject.profiler.options.mount_host_localtime, expected);
    });
  }

  it('turns the default string booleans into real booleans', () => {
    const config = resolved({});
    assert.equal(config.admission_inject.logfwd.options.reuse_exist_volume, false);
    assert.equal(config.admission_inject.profiler.options.mount_host_localtime, true);
  });
});

describe('resolveConfig: case-insensitive keys', () => {
  it('reads Namespace, LabelSelector and Language in rule entries', () => {
    const config = resolved({
      admission_inject: {
        ddtrace: {
          enabled_namespaces: [{ Namespace: 'team-.*', Language: 'java' }],
          enabled_labelselectors: [{ LabelSelector: 'app=web', LANGUAGE: 'python' }],
        },
        profiler: { enabled_namespaces: [{ NAMESPACE: 'prof', language: 'golang' }] },
      },
    });
    const ddtrace = config.admission_inject.ddtrace;
    assert.equal(ddtrace.enabled_namespaces[0]?.namespace, 'team-.*');
    assert.equal(ddtrace.enabled_namespaces[0]?.language, 'java');
    assert.equal(ddtrace.enabled_labelselectors[0]?.labelselector, 'app=web');
    assert.equal(ddtrace.enabled_labelselectors[0]?.language, 'python');
    assert.equal(config.admission_inject.profiler.enabled_namespaces[0]?.language, 'golang');
  });

  it('reads Requests, Limits, CPU and Memory in resources and merges them with the defaults', () => {
    const config = resolved({
      admission_inject: { ddtrace: { resources: { Requests: { CPU: '50m' }, LIMITS: { Memory: '256Mi' } } } },
    });
    assert.deepEqual(config.admission_inject.ddtrace.resources, {
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '200m', memory: '256Mi' },
    });
  });

  it('keeps the spelling of extended resource names', () => {
    const config = resolved({
      admission_inject: { profiler: { resources: { limits: { 'example.com/GPU': '1' } } } },
    });
    assert.equal(config.admission_inject.profiler.resources.limits?.['example.com/GPU'], '1');
    assert.equal(config.admission_inject.profiler.resources.limits?.['example.com/gpu'], undefined);
  });

  it('warns when two spellings of one key meet, and uses the last', () => {
    const result = resolveConfig({
      admission_inject: {
        ddtrace: { enabled_namespaces: [{ namespace: 'a', Namespace: 'b', language: 'java' }] },
      },
    });
    assert.ok(result.ok);
    assert.equal(result.value.config.admission_inject.ddtrace.enabled_namespaces[0]?.namespace, 'b');
    assert.deepEqual(result.value.warnings, [
      'admission_inject.ddtrace.enabled_namespaces[0]: keys "namespace", "Namespace" are the same key; the last one is used',
    ]);
  });

  it('matches section keys case-insensitively, as the JSON decoder of Go did upstream', () => {
    const config = resolved({
      Log_Level: 'debug',
      Admission_Inject: { DDTrace: { Enabled_Namespaces: [{ namespace: 'a', language: 'java' }] } },
    });
    assert.equal(config.log_level, 'debug');
    assert.deepEqual(
      config.admission_inject.ddtrace.enabled_namespaces.map((rule) => rule.namespace),
      ['a'],
    );
  });

  it('matches image and env names exactly: upstream read them from Go maps', () => {
    const result = resolveConfig({
      admission_inject: { ddtrace: { images: { Java_Agent_Image: 'x/y:1' } } },
    });
    assert.ok(result.ok);
    assert.equal(
      result.value.config.admission_inject.ddtrace.images.java_agent_image,
      DEFAULT_CONFIG_DOCUMENT.admission_inject.ddtrace.images.java_agent_image,
    );
    assert.deepEqual(result.value.warnings, [
      'unknown key "admission_inject.ddtrace.images.Java_Agent_Image" is ignored; did you mean ' +
        '"admission_inject.ddtrace.images.java_agent_image"?',
    ]);
  });
});

describe('resolveConfig: languages and compiled rules', () => {
  it('accepts js as an alias and normalises it to nodejs', () => {
    const config = resolved({
      admission_inject: {
        ddtrace: {
          enabled_namespaces: [{ namespace: 'web', language: 'js' }],
          enabled_labelselectors: [{ labelselector: 'app=web', language: 'js' }],
        },
      },
    });
    assert.equal(config.admission_inject.ddtrace.enabled_namespaces[0]?.language, 'nodejs');
    assert.equal(config.admission_inject.ddtrace.enabled_labelselectors[0]?.language, 'nodejs');
  });

  it('compiles namespace patterns and label selectors, keeping their source text', () => {
    const config = resolved({
      admission_inject: {
        ddtrace: {
          enabled_namespaces: [{ namespace: 'team-.*', language: 'java' }],
          enabled_labelselectors: [{ labelselector: 'app in (web,api)', language: 'python' }],
        },
      },
    });
    const namespaceRule = config.admission_inject.ddtrace.enabled_namespaces[0];
    const selectorRule = config.admission_inject.ddtrace.enabled_labelselectors[0];
    assert.equal(namespaceRule?.pattern.source, 'team-.*');
    assert.equal(namespaceRule?.pattern.matches('team-a'), true);
    assert.equal(namespaceRule?.pattern.matches('other'), false);
    assert.equal(selectorRule?.selector.source, 'app in (web,api)');
    assert.equal(selectorRule?.selector.matches({ app: 'api' }), true);
    assert.equal(selectorRule?.selector.matches({ app: 'db' }), false);
  });

  it('warns that an empty label selector matches every pod', () => {
    const result = resolveConfig({
      admission_inject: { ddtrace: { enabled_labelselectors: [{ labelselector: '', language: 'java' }] } },
    });
    assert.ok(result.ok);
    assert.deepEqual(result.value.warnings, [
      'admission_inject.ddtrace.enabled_labelselectors[0].labelselector: an empty label selector matches every pod in the cluster',
    ]);
  });
});

describe('resolveConfig: other normalisation', () => {
  const versions: readonly [input: string, expected: string][] = [
    ['auto', 'auto'],
    ['1.30', '1.30'],
    ['v1.29', '1.29'],
    ['v1.31.2', '1.31'],
    ['1.28.3-eks-1', '1.28'],
  ];
  for (const [input, expected] of versions) {
    it(`writes kubernetes_version ${JSON.stringify(input)} as ${JSON.stringify(expected)}`, () => {
      assert.equal(resolved({ kubernetes_version: input }).kubernetes_version, expected);
    });
  }

  it('accepts a JSON number as a resource quantity, as Kubernetes does', () => {
    const config = resolved({ admission_inject: { ddtrace: { resources: { limits: { cpu: 2 } } } } });
    assert.equal(config.admission_inject.ddtrace.resources.limits?.['cpu'], '2');
  });

  it('produces a deep-frozen config', () => {
    const config = resolved({
      admission_inject: { ddtrace: { enabled_namespaces: [{ namespace: 'a', language: 'java' }] } },
    });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.admission_inject.ddtrace.envs));
    assert.ok(Object.isFrozen(config.admission_inject.ddtrace.envs[0]));
    assert.ok(Object.isFrozen(config.admission_inject.ddtrace.enabled_namespaces[0]));
    assert.ok(Object.isFrozen(config.admission_inject.logfwd.resources.limits));
    assert.throws(() => {
      (config as { log_level: string }).log_level = 'debug';
    }, TypeError);
  });
});

describe('resolveConfig: unknown keys', () => {
  const cases: readonly [name: string, document: unknown, warning: string][] = [
    ['at the top level', { colour: ':1' }, 'unknown key "colour" is ignored'],
    [
      'in a feature',
      { admission_inject: { ddtrace: { foo: 1 } } },
      'unknown key "admission_inject.ddtrace.foo" is ignored',
    ],
    [
      'under admission_inject',
      { admission_inject: { tracing: {} } },
      'unknown key "admission_inject.tracing" is ignored',
    ],
    [
      'in images',
      { admission_inject: { logfwd: { images: { logfwd: 'a/b:1' } } } },
      'unknown key "admission_inject.logfwd.images.logfwd" is ignored',
    ],
    [
      'in options',
      { admission_inject: { profiler: { options: { x: 1 } } } },
      'unknown key "admission_inject.profiler.options.x" is ignored',
    ],
    [
      'in a rule entry',
      {
        admission_inject: {
          ddtrace: { enabled_namespaces: [{ namespace: 'a', language: 'java', note: 'x' }] },
        },
      },
      'unknown key "admission_inject.ddtrace.enabled_namespaces[0].note" is ignored',
    ],
    [
      'in resources',
      { admission_inject: { ddtrace: { resources: { claims: [] } } } },
      'unknown key "admission_inject.ddtrace.resources.claims" is ignored',
    ],
    ['in tls', { tls: { ca_file: '/x' } }, 'unknown key "tls.ca_file" is ignored'],
    [
      'one letter off a known key, with the key meant',
      { admission_inject: { ddtrace: { enabled_namespace: [] } } },
      'unknown key "admission_inject.ddtrace.enabled_namespace" is ignored; did you mean ' +
        '"admission_inject.ddtrace.enabled_namespaces"?',
    ],
    [
      'with swapped letters',
      { admission_inject: { logfwd: { imgaes: {} } } },
      'unknown key "admission_inject.logfwd.imgaes" is ignored; did you mean "admission_inject.logfwd.images"?',
    ],
    [
      'with the case of a map key changed',
      { admission_inject: { logfwd: { images: { LOGFWD_IMAGE: 'a/b:1' } } } },
      'unknown key "admission_inject.logfwd.images.LOGFWD_IMAGE" is ignored; did you mean ' +
        '"admission_inject.logfwd.images.logfwd_image"?',
    ],
    ['in election', { election: { ttl: 1 } }, 'unknown key "election.ttl" is ignored'],
    ['with a key that needs quoting', { 'a b': 1 }, 'unknown key "["a b"]" is ignored'],
  ];
  for (const [name, document, warning] of cases) {
    it(`warns about an unknown key ${name} and still loads`, () => {
      const result = resolveConfig(document);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.value.warnings, [warning]);
    });
  }

  it('treats a "__proto__" key as an ordinary unknown key', () => {
    const result = resolveConfig(JSON.parse('{"__proto__": {"log_level": "debug"}}'));
    assert.ok(result.ok);
    assert.equal(result.value.config.log_level, 'info');
    assert.deepEqual(result.value.warnings, ['unknown key "__proto__" is ignored']);
  });
});

describe('resolveConfig: validation', () => {
  const ddtrace = (section: unknown): unknown => ({ admission_inject: { ddtrace: section } });
  const profiler = (section: unknown): unknown => ({ admission_inject: { profiler: section } });
  const logfwd = (section: unknown): unknown => ({ admission_inject: { logfwd: section } });
  const nsRule = (rule: unknown): unknown => ddtrace({ enabled_namespaces: [rule] });
  const cases: readonly [name: string, document: unknown, expected: string][] = [
    ['a document that is not an object', [], 'the configuration must be a JSON object, got an array'],
    [
      'a listen address without a port',
      { server_listen: '0.0.0.0' },
      'server_listen: "0.0.0.0" is not a listen address: expected host:port, [ipv6]:port or :port',
    ],
    [
      'a listen port of 0',
      { server_listen: ':0' },
      'server_listen: ":0" is not a listen address: the port must be a number from 1 to 65535',
    ],
    [
      'a listen port above 65535',
      { health_listen: '127.0.0.1:65536' },
      'health_listen: "127.0.0.1:65536" is not a listen address: the port must be a number from 1 to 65535',
    ],
    [
      'an unbracketed IPv6 listen address',
      { server_listen: '::1:9543' },
      'server_listen: "::1:9543" is not a listen address',
    ],
    [
      'a listen address that is not a string',
      { server_listen: 9543 },
      'server_listen: expected a string, got 9543',
    ],
    [
      'health on the same port as the main listener',
      { health_listen: ':9543' },
      'health_listen: ":9543" uses the same port as server_listen',
    ],
    ['a log level', { log_level: 'verbose' }, 'log_level: "verbose" is not one of debug, info, warn, error'],
    [
      'a missing language',
      nsRule({ namespace: 'a' }),
      'admission_inject.ddtrace.enabled_namespaces[0].language: is required',
    ],
    [
      'a missing namespace',
      nsRule({ language: 'java' }),
      'admission_inject.ddtrace.enabled_namespaces[0].namespace: is required',
    ],
    [
      'a rule that is not an object',
      ddtrace({ enabled_namespaces: ['default'] }),
      'admission_inject.ddtrace.enabled_namespaces[0]: expected an object, got "default"',
    ],
    [
      'rules that are not an array',
      ddtrace({ enabled_namespaces: { namespace: 'a' } }),
      'admission_inject.ddtrace.enabled_namespaces: expected an array, got an object',
    ],
    [
      'a resource quantity',
      ddtrace({ resources: { limits: { memory: '128MB' } } }),
      'admission_inject.ddtrace.resources.limits.memory: "128MB" is not a Kubernetes quantity (e.g. 100m, 64Mi, 1.5, 1e3)',
    ],
    [
      'a negative quantity',
      logfwd({ resources: { requests: { cpu: '-1' } } }),
      'admission_inject.logfwd.resources.requests.cpu: "-1" is not a Kubernetes quantity',
    ],
    [
      'a resource name',
      profiler({ resources: { limits: { gpu: '1' } } }),
      'admission_inject.profiler.resources.limits.gpu: "gpu" is not a container resource name',
    ],
    [
      'a kubernetes.io extended resource',
      profiler({ resources: { limits: { 'kubernetes.io/x': '1' } } }),
      'admission_inject.profiler.resources.limits["kubernetes.io/x"]: "kubernetes.io/x" is not a container resource name',
    ],
    [
      'a request above its limit',
      ddtrace({ resources: { requests: { memory: '1Gi' } } }),
      'admission_inject.ddtrace.resources.requests.memory: "1Gi" is more than the limit "128Mi"; a request must not exceed its limit',
    ],
    [
      'resources that are not an object',
      ddtrace({ resources: 'small' }),
      'admission_inject.ddtrace.resources: expected an object, got "small"',
    ],
    [
      'an empty image',
      ddtrace({ images: { java_agent_image: '' } }),
      'admission_inject.ddtrace.images.java_agent_image: must not be empty',
    ],
    [
      'an invalid image reference',
      logfwd({ images: { logfwd_image: 'Pubrepo/LogFwd:1' } }),
      'admission_inject.logfwd.images.logfwd_image: "Pubrepo/LogFwd:1" is not a valid image reference',
    ],
    [
      'an image that is not a string',
      profiler({ images: { golang_profiler_image: null } }),
      'admission_inject.profiler.images.golang_profiler_image: expected a string, got null',
    ],
    [
      'envs that are an array',
      ddtrace({ envs: [] }),
      'admission_inject.ddtrace.envs: expected an object, got an array',
    ],
    [
      'a boolean option',
      logfwd({ options: { reuse_exist_volume: 'yes' } }),
      'admission_inject.logfwd.options.reuse_exist_volume: expected true or false (a JSON boolean or the string "true"/"false"), got "yes"',
    ],
    [
      'a logfwd sidecar mode',
      logfwd({ options: { sidecar_mode: 'sidecar' } }),
      'admission_inject.logfwd.options.sidecar_mode: "sidecar" is not one of auto, container, native',
    ],
    [
      'a profiler sidecar mode',
      profiler({ options: { sidecar_mode: 'Native' } }),
      'admission_inject.profiler.options.sidecar_mode: "Native" is not one of auto, container, native',
    ],
    [
      'a TLS mode',
      { tls: { mode: 'manual' } },
      'tls.mode: "manual" is not one of auto, files, self-managed, ephemeral',
    ],
    ['an empty certificate path', { tls: { cert_file: '' } }, 'tls.cert_file: must not be empty'],
    [
      'a Secret name',
      { tls: { secret_name: 'Operator_TLS' } },
      'tls.secret_name: "Operator_TLS" is not a Kubernetes object name',
    ],
    [
      'a Service name',
      { tls: { service_name: 'op.svc' } },
      'tls.service_name: "op.svc" is not a Kubernetes name',
    ],
    [
      'a webhook configuration name',
      { tls: { webhook_config_name: '' } },
      'tls.webhook_config_name: "" is not a Kubernetes object name',
    ],
    ['an operator namespace', { namespace: 'Datakit' }, 'namespace: "Datakit" is not a Kubernetes name'],
    [
      'an election store',
      { election: { store: 'etcd' } },
      'election.store: "etcd" is not one of auto, memory, kubernetes',
    ],
    [
      'a zero lease duration',
      { election: { lease_duration_seconds: 0 } },
      'election.lease_duration_seconds: 0 is not a positive integer',
    ],
    [
      'a fractional interval',
      { election: { interval_seconds: 1.5 } },
      'election.interval_seconds: 1.5 is not a positive integer',
    ],
    [
      'a duration as a string',
      { election: { lease_duration_seconds: '30' } },
      'election.lease_duration_seconds: "30" is not a positive integer',
    ],
    [
      'a lease duration equal to the interval (DataKit rule: lease_duration > interval)',
      { election: { lease_duration_seconds: 10, interval_seconds: 10 } },
      'election.lease_duration_seconds: 10 must be greater than election.interval_seconds (10): DataKit ' +
        'rejects a lease_duration that is not longer than the interval and never leads',
    ],
    [
      'a lease duration below the interval',
      { election: { lease_duration_seconds: 4, interval_seconds: 5 } },
      'election.lease_duration_seconds: 4 must be greater than election.interval_seconds (5): DataKit ' +
        'rejects a lease_duration that is not longer than the interval and never leads',
    ],
    [
      'an interval of 2 s (DataKit rule: interval > 2 s)',
      { election: { interval_seconds: 2 } },
      'election.interval_seconds: 2 is below 3: DataKit rejects an election interval of 2 s or less (its ' +
        'request timeout) and never leads; use 3 or more',
    ],
    [
      'an interval of 1 s',
      { election: { interval_seconds: 1 } },
      'election.interval_seconds: 1 is below 3: DataKit rejects an election interval of 2 s or less (its ' +
        'request timeout) and never leads; use 3 or more',
    ],
    [
      'a zero scope limit',
      { election: { max_scopes: 0 } },
      'election.max_scopes: 0 is not a positive integer',
    ],
    [
      'a kubernetes version',
      { kubernetes_version: '1' },
      'kubernetes_version: "1" is not "auto" or a Kubernetes version such as 1.30',
    ],
    [
      'a section that is not an object',
      { admission_inject: { logfwd: [] } },
      'admission_inject.logfwd: expected an object, got an array',
    ],
    [
      'a top-level section that is not an object',
      { election: 'memory' },
      'election: expected an object, got "memory"',
    ],
  ];
  for (const [name, document, expected] of cases) {
    it(`rejects ${name}, naming the key`, () => {
      const errors = errorsOf(resolveConfig(document));
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.ok(errors[0]?.startsWith(expected), `expected "${errors[0]}" to start with "${expected}"`);
    });
  }

  // Upstream (Go operator 1.5.18) started with these and went without the entry, so an upgrade must start
  // too (SPEC §12.1): each entry is left out, reported, and makes `config validate` fail.
  const ignoredCases: readonly [name: string, document: unknown, expected: string][] = [
    [
      'a ddtrace language',
      nsRule({ namespace: 'a', language: 'jaav' }),
      'admission_inject.ddtrace.enabled_namespaces[0].language: "jaav" is not one of java, python, nodejs',
    ],
    [
      'golang for ddtrace',
      ddtrace({ enabled_labelselectors: [{ labelselector: 'a=b', language: 'golang' }] }),
      'admission_inject.ddtrace.enabled_labelselectors[0].language: "golang" is not one of java, python, nodejs',
    ],
    [
      'a profiler language',
      profiler({ enabled_namespaces: [{ namespace: 'a', language: 'nodejs' }] }),
      'admission_inject.profiler.enabled_namespaces[0].language: "nodejs" is not one of java, python, golang',
    ],
    [
      'a namespace pattern that does not compile',
      nsRule({ namespace: 'team-(', language: 'java' }),
      'admission_inject.ddtrace.enabled_namespaces[0].namespace: namespace pattern "team-(" is not a valid regular expression',
    ],
    [
      'an empty namespace pattern',
      nsRule({ namespace: '', language: 'java' }),
      'admission_inject.ddtrace.enabled_namespaces[0].namespace: namespace pattern must not be empty',
    ],
    [
      'a label selector that does not parse',
      ddtrace({ enabled_labelselectors: [{ labelselector: 'app in (', language: 'java' }] }),
      'admission_inject.ddtrace.enabled_labelselectors[0].labelselector: unexpected end of selector at position 8 in "app in ("',
    ],
    [
      'a profiler label selector',
      profiler({ enabled_labelselectors: [{ labelselector: 'a b', language: 'java' }] }),
      'admission_inject.profiler.enabled_labelselectors[0].labelselector: ',
    ],
    [
      'an env name',
      ddtrace({ envs: { '1BAD': 'x' } }),
      'admission_inject.ddtrace.envs["1BAD"]: "1BAD" is not a valid environment variable name',
    ],
    [
      'an env name with "="',
      logfwd({ envs: { 'A=B': 'x' } }),
      'admission_inject.logfwd.envs["A=B"]: "A=B" is not a valid environment variable name',
    ],
    [
      'an env value that is a number',
      ddtrace({ envs: { DD_TRACE_AGENT_PORT: 9529 } }),
      'admission_inject.ddtrace.envs.DD_TRACE_AGENT_PORT: 9529 is not a string; write it as "9529" to set it',
    ],
    [
      'an env value that is a boolean',
      ddtrace({ envs: { DD_TRACE_ENABLED: true } }),
      'admission_inject.ddtrace.envs.DD_TRACE_ENABLED: true is not a string; write it as "true" to set it',
    ],
    [
      'an env value that is an object',
      ddtrace({ envs: { DD_TAGS: {} } }),
      'admission_inject.ddtrace.envs.DD_TAGS: an object is not a string; env values are strings',
    ],
  ];
  for (const [name, document, expected] of ignoredCases) {
    it(`starts without ${name}, naming the key`, () => {
      const result = resolveConfig(document);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.value.ignored.length, 1, result.value.ignored.join('\n'));
      const message = result.value.ignored[0] ?? '';
      assert.ok(message.startsWith(expected), `expected "${message}" to start with "${expected}"`);
      assert.match(message, /; this entry is ignored \(as the Go operator ignored it\)$/);
    });
  }

  it('leaves the ignored entries out of the running config and keeps the rest', () => {
    const config = resolved({
      admission_inject: {
        ddtrace: {
          enabled_namespaces: [
            { namespace: 'team-(', language: 'java' },
            { namespace: 'web', language: 'ruby' },
            { namespace: 'api', language: 'java' },
          ],
          envs: { DD_AGENT_PORT: 9529, DD_ENV: 'prod' },
        },
      },
    });
    assert.deepEqual(
      config.admission_inject.ddtrace.enabled_namespaces.map((rule) => rule.namespace),
      ['api'],
    );
    assert.deepEqual(config.admission_inject.ddtrace.envs, [{ name: 'DD_ENV', value: 'prod' }]);
  });

  // The profiler image interprets these; upstream passed them through, so they are warned about and kept.
  const profilerEnvWarnings: readonly [name: string, document: unknown, expected: string][] = [
    [
      'a cron schedule with 4 fields',
      profiler({ envs: { DK_PROFILE_SCHEDULE: '0 * * *' } }),
      'admission_inject.profiler.envs.DK_PROFILE_SCHEDULE: "0 * * *" is not a cron schedule the profiler can run: expected 5 fields (minute hour day-of-month month day-of-week), found 4',
    ],
    [
      'a cron hour out of range',
      profiler({ envs: { DK_PROFILE_SCHEDULE: '0 24 * * *' } }),
      'admission_inject.profiler.envs.DK_PROFILE_SCHEDULE: "0 24 * * *" is not a cron schedule the profiler can run: hour field "24" is out of range',
    ],
    [
      'a zero profile duration',
      profiler({ envs: { DK_PROFILE_DURATION: '0' } }),
      'admission_inject.profiler.envs.DK_PROFILE_DURATION: "0" is not a positive integer (seconds)',
    ],
    [
      'a profile duration with a unit',
      profiler({ envs: { DK_PROFILE_DURATION: '240s' } }),
      'admission_inject.profiler.envs.DK_PROFILE_DURATION: "240s" is not a positive integer (seconds)',
    ],
  ];
  for (const [name, document, expected] of profilerEnvWarnings) {
    it(`warns about ${name} and passes it to the profiler`, () => {
      const result = resolveConfig(document);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.value.ignored, []);
      const warning = result.value.warnings.find((w) => w.startsWith('admission_inject.profiler.envs')) ?? '';
      assert.ok(warning.startsWith(expected), `expected "${warning}" to start with "${expected}"`);
    });
  }

  it('collects every problem, not just the first', () => {
    const errors = errorsOf(
      resolveConfig({
        log_level: 'loud',
        server_listen: 'nowhere',
        admission_inject: {
          ddtrace: {
            enabled_namespaces: [{ namespace: '(', language: 'jaav' }],
            images: { java_agent_image: 'Not An Image' },
          },
          profiler: { resources: { limits: { cpu: 'lots' } } },
        },
        election: { store: 'x' },
      }),
    );
    assert.deepEqual(
      errors.map((e) => e.slice(0, e.indexOf(':'))),
      [
        'server_listen',
        'log_level',
        'admission_inject.ddtrace.images.java_agent_image',
        'admission_inject.profiler.resources.limits.cpu',
        'election.store',
      ],
    );
  });

  const validEdges: readonly [name: string, document: unknown][] = [
    ['an IPv6 listen address', { server_listen: '[::1]:9443' }],
    ['a port-only listen address', { server_listen: ':8443' }],
    ['different hosts on one port', { server_listen: '127.0.0.1:9000', health_listen: '127.0.0.2:9000' }],
    [
      'an image with a registry port and a digest',
      ddtrace({ images: { java_agent_image: `localhost:5000/dd/java:1@sha256:${'a'.repeat(64)}` } }),
    ],
    [
      'extended and hugepages resources',
      ddtrace({ resources: { limits: { 'example.com/gpu': '1', 'hugepages-2Mi': '4Mi' } } }),
    ],
    [
      'quantities in every notation',
      ddtrace({
        resources: { requests: { cpu: '0.05', memory: '1e3' }, limits: { cpu: '.5', memory: '1.5Gi' } },
      }),
    ],
    [
      'a cron schedule with lists, ranges, steps and names',
      profiler({ envs: { DK_PROFILE_SCHEDULE: '*/15 0-6,22 1 jan-jun mon-fri' } }),
    ],
    [
      'an env name with dashes and dots, as the manual shows',
      ddtrace({ envs: { 'testing-env': 'ok', 'a.b': 'c' } }),
    ],
    ['an explicit operator namespace', { namespace: 'datakit' }],
    [
      'the shortest election timing DataKit accepts',
      { election: { interval_seconds: 3, lease_duration_seconds: 4 } },
    ],
  ];
  for (const [name, document] of validEdges) {
    it(`accepts ${name}`, () => {
      resolved(document);
    });
  }
});
