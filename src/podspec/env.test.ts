import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addEnvsIfAbsent, buildEnvVar, envReferences, looksLikePlaceholder } from './env.ts';
import { sharedValueText } from './shared-values.ts';
import type { Container, EnvVar } from './types.ts';

const DEFAULT_DD_TAGS = 'pod_name:$(POD_NAME),pod_namespace:$(POD_NAMESPACE),host:$(NODE_NAME)';

function fieldRef(name: string, fieldPath: string): EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

function names(container: Container): string[] {
  return (container.env ?? []).map((env) => env.name);
}

describe('buildEnvVar', () => {
  const cases: ReadonlyArray<{ value: string; expected: Omit<EnvVar, 'name'> }> = [
    ...[
      'metadata.name',
      'metadata.namespace',
      'metadata.uid',
      'spec.serviceAccountName',
      'spec.nodeName',
      'status.hostIP',
      'status.hostIPs',
      'status.podIP',
      'status.podIPs',
    ].map((fieldPath) => ({
      value: `{fieldRef:${fieldPath}}`,
      expected: { valueFrom: { fieldRef: { fieldPath } } },
    })),
    {
      value: "{fieldRef:metadata.labels['app']}",
      expected: { valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
    },
    {
      value: "{fieldRef:metadata.annotations['admission.datakit/java-lib.version']}",
      expected: {
        valueFrom: { fieldRef: { fieldPath: "metadata.annotations['admission.datakit/java-lib.version']" } },
      },
    },
    ...['limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'].map((resource) => ({
      value: `{resourceFieldRef:${resource}}`,
      expected: { valueFrom: { resourceFieldRef: { containerName: 'app', resource } } },
    })),
    {
      value: '{secretKeyRef:datakit-secret.token}',
      expected: { valueFrom: { secretKeyRef: { name: 'datakit-secret', key: 'token' } } },
    },
    {
      value: '{secretKeyRef:guance.datakit-secret.token}',
      expected: { valueFrom: { secretKeyRef: { name: 'guance.datakit-secret', key: 'token' } } },
    },
    // Everything below is not a valid placeholder, so it stays literal (the manual's rule).
    { value: '{fieldRef:metadata.nam}', expected: { value: '{fieldRef:metadata.nam}' } },
    { value: '{fieldRef:metadata.labels}', expected: { value: '{fieldRef:metadata.labels}' } },
    {
      value: "{fieldRef:metadata.labels['bad key']}",
      expected: { value: "{fieldRef:metadata.labels['bad key']}" },
    },
    { value: '{fieldref:metadata.name}', expected: { value: '{fieldref:metadata.name}' } },
    { value: ' {fieldRef:metadata.name}', expected: { value: ' {fieldRef:metadata.name}' } },
    { value: '{fieldRef:metadata.name}x', expected: { value: '{fieldRef:metadata.name}x' } },
    { value: '{resourceFieldRef:limits.gpu}', expected: { value: '{resourceFieldRef:limits.gpu}' } },
    { value: '{secretKeyRef:token}', expected: { value: '{secretKeyRef:token}' } },
    { value: '{secretKeyRef:Bad_Name.token}', expected: { value: '{secretKeyRef:Bad_Name.token}' } },
    { value: '{secretKeyRef:name.}', expected: { value: '{secretKeyRef:name.}' } },
    { value: '{secretKeyRef:name.bad/key}', expected: { value: '{secretKeyRef:name.bad/key}' } },
    { value: 'datakit-service.datakit.svc', expected: { value: 'datakit-service.datakit.svc' } },
    { value: '', expected: { value: '' } },
  ];
  for (const c of cases) {
    it(`turns ${JSON.stringify(c.value)} into ${JSON.stringify(c.expected)}`, () => {
      assert.deepEqual(buildEnvVar({ name: 'X', value: c.value }, 'app'), { name: 'X', ...c.expected });
    });
  }

  it('never writes fieldRef.apiVersion, which the API server defaults', () => {
    const env = buildEnvVar({ name: 'POD_NAME', value: '{fieldRef:metadata.name}' }, 'app');
    assert.deepEqual(env.valueFrom, { fieldRef: { fieldPath: 'metadata.name' } });
  });
});

describe('buildEnvVar sharing', () => {
  it('builds one frozen EnvVar per config env that does not name its container, whatever the container', () => {
    for (const value of ['literal', '{fieldRef:metadata.name}', '{secretKeyRef:datakit.token}']) {
      const configured = { name: 'X', value };
      const first = buildEnvVar(configured, 'app');
      assert.equal(buildEnvVar(configured, 'sidecar'), first, value);
      assert.ok(Object.isFrozen(first), value);
      if (first.valueFrom !== undefined) assert.ok(Object.isFrozen(first.valueFrom), value);
      assert.equal(sharedValueText(first), JSON.stringify(first), value);
    }
  });

  it('builds a new EnvVar per container for a value that names the container', () => {
    const configured = { name: 'CPU', value: '{resourceFieldRef:limits.cpu}' };
    const app = buildEnvVar(configured, 'app');
    const sidecar = buildEnvVar(configured, 'sidecar');
    assert.deepEqual(app.valueFrom, { resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } });
    assert.deepEqual(sidecar.valueFrom, {
      resourceFieldRef: { containerName: 'sidecar', resource: 'limits.cpu' },
    });
    assert.equal(sharedValueText(app), undefined);
  });
});

describe('looksLikePlaceholder', () => {
  for (const [value, expected] of [
    ['{fieldRef:metadata.nam}', true],
    ['{secretKeyRef:x}', true],
    ['{other:x}', false],
    ['plain', false],
  ] as const) {
    it(`is ${expected} for ${value}`, () => assert.equal(looksLikePlaceholder(value), expected));
  }
});

describe('envReferences', () => {
  const cases: ReadonlyArray<[string, string[]]> = [
    [DEFAULT_DD_TAGS, ['POD_NAME', 'POD_NAMESPACE', 'NODE_NAME']],
    ['$(A)$(B)', ['A', 'B']],
    ['$$(A)', []],
    ['$$$(A)', ['A']],
    ['$(A', []],
    ['$()', []],
    ['$A $', []],
    ['x$(A)y', ['A']],
  ];
  for (const [value, expected] of cases) {
    it(`finds ${JSON.stringify(expected)} in ${JSON.stringify(value)}`, () =>
      assert.deepEqual(envReferences(value), expected));
  }
});

const downward: EnvVar[] = [
  fieldRef('POD_NAME', 'metadata.name'),
  fieldRef('POD_NAMESPACE', 'metadata.namespace'),
  fieldRef('NODE_NAME', 'spec.nodeName'),
];
const ddTags: EnvVar = { name: 'DD_TAGS', value: DEFAULT_DD_TAGS };

describe('addEnvsIfAbsent ordering', () => {
  const cases: ReadonlyArray<{ why: string; own?: EnvVar[]; injected: EnvVar[]; order: string[] }> = [
    {
      why: 'appends new envs after the container own envs, in config order',
      own: [{ name: 'USER', value: 'u' }],
      injected: [
        { name: 'B', value: 'b' },
        { name: 'A', value: 'a' },
      ],
      order: ['USER', 'B', 'A'],
    },
    {
      why: 'creates env when the container has none',
      injected: [{ name: 'A', value: 'a' }],
      order: ['A'],
    },
    {
      why: 'moves a DD_TAGS configured first after POD_NAME, POD_NAMESPACE and NODE_NAME',
      injected: [ddTags, { name: 'DD_AGENT_HOST', value: 'h' }, ...downward, { name: 'LAST', value: 'x' }],
      order: ['DD_AGENT_HOST', 'POD_NAME', 'POD_NAMESPACE', 'NODE_NAME', 'DD_TAGS', 'LAST'],
    },
    {
      why: 'moves an env only as far as its last reference',
      injected: [
        { name: 'A', value: '$(C)' },
        { name: 'B', value: 'b' },
        { name: 'C', value: 'c' },
        { name: 'D', value: 'd' },
      ],
      order: ['B', 'C', 'A', 'D'],
    },
    {
      why: 'follows a chain of references',
      injected: [
        { name: 'A', value: '$(B)' },
        { name: 'B', value: '$(C)' },
        { name: 'C', value: 'c' },
      ],
      order: ['C', 'B', 'A'],
    },
    {
      why: 'puts the injected DD_TAGS after the user POD_NAME that comes later in the user list',
      own: [{ name: 'X', value: 'x' }, fieldRef('POD_NAME', 'metadata.name'), { name: 'Y', value: 'y' }],
      injected: [ddTags, ...downward],
      order: ['X', 'POD_NAME', 'Y', 'POD_NAMESPACE', 'NODE_NAME', 'DD_TAGS'],
    },
    {
      why: 'ignores references to envs the container does not define',
      injected: [
        { name: 'A', value: '$(MISSING)' },
        { name: 'B', value: 'b' },
      ],
      order: ['A', 'B'],
    },
    {
      why: 'does not count an escaped $$(NAME) reference',
      injected: [
        { name: 'A', value: '$$(B)' },
        { name: 'B', value: 'b' },
      ],
      order: ['A', 'B'],
    },
    {
      why: 'keeps config order for a reference cycle',
      injected: [
        { name: 'A', value: '$(B)' },
        { name: 'B', value: '$(A)' },
        { name: 'C', value: 'c' },
      ],
      order: ['A', 'B', 'C'],
    },
    {
      why: 'still orders around a reference cycle',
      injected: [
        { name: 'D', value: '$(C)' },
        { name: 'A', value: '$(B)' },
        { name: 'B', value: '$(A)' },
        { name: 'C', value: 'c' },
      ],
      order: ['A', 'B', 'C', 'D'],
    },
    {
      why: 'ignores a self reference',
      injected: [
        { name: 'A', value: 'x$(A)' },
        { name: 'B', value: 'b' },
      ],
      order: ['A', 'B'],
    },
    {
      why: 'never moves the container own envs, even when they reference injected ones',
      own: [
        { name: 'U1', value: '$(A)' },
        { name: 'U2', value: 'u' },
      ],
      injected: [{ name: 'A', value: 'a' }],
      order: ['U1', 'U2', 'A'],
    },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const container: Container = { name: 'app', ...(c.own ? { env: structuredClone(c.own) } : {}) };
      addEnvsIfAbsent(container, c.injected);
      assert.deepEqual(names(container), c.order);
    });
  }
});

const DD_TAGS_NAME = 'DD_TAGS';

describe('addEnvsIfAbsent user wins', () => {
  it('leaves an env the container already has exactly as it is', () => {
    const own: EnvVar = { name: 'DD_AGENT_HOST', value: 'mine', extra: 'kept' };
    const container: Container = { name: 'app', env: [own] };
    const added = addEnvsIfAbsent(container, [
      { name: 'DD_AGENT_HOST', value: 'theirs' },
      { name: 'B', value: 'b' },
    ]);
    assert.deepEqual(added, ['B']);
    assert.deepEqual(container.env, [
      { name: 'DD_AGENT_HOST', value: 'mine', extra: 'kept' },
      { name: 'B', value: 'b' },
    ]);
  });

  it('never writes the envs it is given, so one built list can serve several containers', () => {
    const injected = Object.freeze([
      Object.freeze(fieldRef('POD_NAME', 'metadata.name')),
      Object.freeze({ name: DD_TAGS_NAME, value: 'team:a' }),
    ]) as readonly EnvVar[];
    const userTags = Object.freeze({ name: DD_TAGS_NAME, value: 'env:prod' });
    const first: Container = { name: 'a', env: [userTags] };
    const second: Container = { name: 'b' };
    addEnvsIfAbsent(first, injected);
    addEnvsIfAbsent(second, injected);
    assert.equal(userTags.value, 'env:prod', "the user's DD_TAGS object is not written");
    assert.equal(first.env?.find((env) => env.name === DD_TAGS_NAME)?.value, 'env:prod,team:a');
    assert.deepEqual(second.env, injected);
  });

  it('changes nothing and leaves env undefined when nothing is injected', () => {
    const container: Container = { name: 'app' };
    assert.deepEqual(addEnvsIfAbsent(container, []), []);
    assert.deepEqual(container, { name: 'app' });
  });

  it('keeps the first of duplicate injected names', () => {
    const container: Container = { name: 'app' };
    addEnvsIfAbsent(container, [
      { name: 'A', value: '1' },
      { name: 'A', value: '2' },
    ]);
    assert.deepEqual(container.env, [{ name: 'A', value: '1' }]);
  });
});

describe('addEnvsIfAbsent DD_TAGS merge', () => {
  const cases: ReadonlyArray<{ why: string; existing: string | undefined; merged: string }> = [
    {
      why: 'appends the configured pairs whose key is missing',
      existing: 'team:a',
      merged: `team:a,${DEFAULT_DD_TAGS}`,
    },
    {
      why: 'lets an existing pair win over a configured one with the same key',
      existing: 'pod_name:mine,team:a',
      merged: 'pod_name:mine,team:a,pod_namespace:$(POD_NAMESPACE),host:$(NODE_NAME)',
    },
    { why: 'fills an empty DD_TAGS', existing: '', merged: DEFAULT_DD_TAGS },
    { why: 'fills a DD_TAGS with no value at all', existing: undefined, merged: DEFAULT_DD_TAGS },
    { why: 'does not double a trailing comma', existing: 'team:a, ', merged: `team:a,${DEFAULT_DD_TAGS}` },
    {
      why: 'keeps a space-separated DD_TAGS space-separated',
      existing: 'team:a env:prod',
      merged: 'team:a env:prod pod_name:$(POD_NAME) pod_namespace:$(POD_NAMESPACE) host:$(NODE_NAME)',
    },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const own: EnvVar =
        c.existing === undefined ? { name: 'DD_TAGS' } : { name: 'DD_TAGS', value: c.existing };
      const container: Container = { name: 'app', env: [own] };
      assert.deepEqual(addEnvsIfAbsent(container, [ddTags]), ['DD_TAGS']);
      assert.equal(container.env?.findLast((env) => env.name === 'DD_TAGS')?.value, c.merged);
    });
  }

  it('moves a merged DD_TAGS after the envs it references, and nothing else', () => {
    const container: Container = {
      name: 'app',
      env: [
        { name: 'A', value: 'a' },
        { name: 'DD_TAGS', value: 'team:a' },
        { name: 'B', value: 'b' },
        fieldRef('POD_NAME', 'metadata.name'),
        { name: 'C', value: 'c' },
      ],
    };
    const changed = addEnvsIfAbsent(container, [ddTags, ...downward, { name: 'E', value: 'e' }]);
    assert.deepEqual(changed, ['DD_TAGS', 'POD_NAMESPACE', 'NODE_NAME', 'E']);
    assert.deepEqual(names(container), [
      'A',
      'B',
      'POD_NAME',
      'C',
      'POD_NAMESPACE',
      'NODE_NAME',
      'DD_TAGS',
      'E',
    ]);
  });

  it('leaves a DD_TAGS whose pairs are all present where it is', () => {
    const env: EnvVar[] = [
      { name: 'DD_TAGS', value: 'pod_name:x,pod_namespace:y,host:z' },
      fieldRef('POD_NAME', 'metadata.name'),
    ];
    const container: Container = { name: 'app', env: structuredClone(env) };
    assert.deepEqual(addEnvsIfAbsent(container, [ddTags]), []);
    assert.deepEqual(container.env, env);
  });

  it('leaves a DD_TAGS defined with valueFrom alone', () => {
    const own: EnvVar = { name: 'DD_TAGS', valueFrom: { configMapKeyRef: { name: 'tags', key: 'tags' } } };
    const container: Container = { name: 'app', env: [structuredClone(own)] };
    assert.deepEqual(addEnvsIfAbsent(container, [ddTags, ...downward]), [
      'POD_NAME',
      'POD_NAMESPACE',
      'NODE_NAME',
    ]);
    assert.deepEqual(container.env?.[0], own);
    assert.deepEqual(names(container), ['DD_TAGS', 'POD_NAME', 'POD_NAMESPACE', 'NODE_NAME']);
  });

  it('does not merge a configured DD_TAGS that is itself a valueFrom', () => {
    const container: Container = { name: 'app', env: [{ name: 'DD_TAGS', value: 'team:a' }] };
    const configured: EnvVar = {
      name: 'DD_TAGS',
      valueFrom: { fieldRef: { fieldPath: "metadata.labels['tags']" } },
    };
    assert.deepEqual(addEnvsIfAbsent(container, [configured]), []);
    assert.deepEqual(container.env, [{ name: 'DD_TAGS', value: 'team:a' }]);
  });
});

describe('addEnvsIfAbsent idempotency', () => {
  const scenarios: ReadonlyArray<{ why: string; own?: EnvVar[] }> = [
    { why: 'with no env of its own' },
    {
      why: 'with a literal DD_TAGS to merge',
      own: [
        { name: 'DD_TAGS', value: 'team:a' },
        { name: 'X', value: 'x' },
      ],
    },
    {
      why: 'with the user POD_NAME later in the list',
      own: [{ name: 'X', value: 'x' }, fieldRef('POD_NAME', 'metadata.name')],
    },
  ];
  for (const s of scenarios) {
    it(`changes nothing the second time ${s.why}`, () => {
      const injected = [ddTags, { name: 'DD_AGENT_HOST', value: 'h' }, ...downward];
      const container: Container = { name: 'app', ...(s.own ? { env: structuredClone(s.own) } : {}) };
      assert.notDeepEqual(addEnvsIfAbsent(container, injected), []);
      const after = structuredClone(container);
      assert.deepEqual(addEnvsIfAbsent(container, injected), []);
      assert.deepEqual(container, after);
    });
  }
});
