import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../schema.ts';
import type { OperatorConfig } from '../types.ts';
import { V2_DEFAULT_RESOURCES } from './schema.ts';

const IMAGE = 'pubrepo.guance.com/datakit-operator/dd-lib-java-init:v1.60.4-ext';

function java(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { namespace_selectors: ['default'], language: 'java', image: IMAGE, ...extra };
}

function load(document: unknown): { config?: OperatorConfig; errors: string[]; warnings: string[] } {
  const result = resolveConfig(document);
  return result.ok
    ? { config: result.value.config, errors: [], warnings: result.value.warnings }
    : { errors: result.error.map((problem) => problem.message), warnings: [] };
}

function v2(lists: Record<string, unknown>, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { admission_inject_v2: lists, ...more };
}

describe('admission_inject_v2: values of a valid rule', () => {
  it('compiles the selectors and applies upstream defaults: Always, default resources, linux-gnu', () => {
    const { config, warnings } = load(v2({ ddtraces: [java({ name: 'java-default' })] }));
    assert.deepEqual(warnings, []);
    const rule = config?.admission_inject_v2.ddtraces[0];
    assert.equal(rule?.path, 'admission_inject_v2.ddtraces[0]');
    assert.equal(rule?.name, 'java-default');
    assert.equal(rule?.check_annotation, false);
    assert.equal(rule?.image_pull_policy, 'Always');
    assert.equal(rule?.php_loader_flavor, 'linux-gnu');
    assert.deepEqual(rule?.resources, V2_DEFAULT_RESOURCES);
    assert.equal(rule?.namespace_selectors[0]?.matches('default'), true);
    assert.equal(rule?.namespace_selectors[0]?.matches('my-default-ns'), false);
  });

  it('keeps envs in document order and reads resources keys case-insensitively', () => {
    const { config } = load(
      v2({
        ddtraces: [
          java({
            envs: { B: '2', A: '1' },
            resources: { Requests: { CPU: '10m' }, Limits: { Memory: '1Gi' } },
          }),
        ],
      }),
    );
    const rule = config?.admission_inject_v2.ddtraces[0];
    assert.deepEqual(rule?.envs, [
      { name: 'B', value: '2' },
      { name: 'A', value: '1' },
    ]);
    assert.deepEqual(rule?.resources, { requests: { cpu: '10m' }, limits: { memory: '1Gi' } });
  });

  it('leaves v1 behaviour alone when the key is absent: every list empty, nothing overridden', () => {
    const v2Config = load({}).config?.admission_inject_v2;
    assert.deepEqual(v2Config?.ddtraces, []);
    assert.deepEqual(v2Config?.overridden_by_v1, []);
  });
});

describe('admission_inject_v2: every problem names its full key path', () => {
  const cases: readonly { name: string; document: unknown; error: RegExp }[] = [
    {
      name: 'a list that is not an array',
      document: v2({ ddtraces: {} }),
      error: /^admission_inject_v2\.ddtraces: expected an array, got an object$/,
    },
    {
      name: 'a null rule',
      document: v2({ ddtraces: [null] }),
      error: /^admission_inject_v2\.ddtraces\[0\]: expected an object, got null$/,
    },
    {
      name: 'a string where a list of selectors belongs',
      document: v2({ ddtraces: [java({ namespace_selectors: 'default' })] }),
      error: /^admission_inject_v2\.ddtraces\[0\]\.namespace_selectors: expected an array/,
    },
    {
      name: 'a namespace regex that does not compile',
      document: v2({ ddtraces: [java({ namespace_selectors: ['team-('] })] }),
      error:
        /^admission_inject_v2\.ddtraces\[0\]\.namespace_selectors\[0\]: namespace pattern "team-\(" is not a valid regular expression/,
    },
    {
      name: 'a blank namespace entry',
      document: v2({ ddtraces: [java({ namespace_selectors: [' '] })] }),
      error: /namespace_selectors\[0\]: must not be blank/,
    },
    {
      name: 'a label selector that does not parse',
      document: v2({ ddtraces: [java({ label_selectors: ['app in web'] })] }),
      error: /^admission_inject_v2\.ddtraces\[0\]\.label_selectors\[0\]: /,
    },
    {
      name: 'a blank label selector',
      document: v2({ ddtraces: [java({ label_selectors: [''] })] }),
      error: /label_selectors\[0\]: must not be blank/,
    },
    {
      name: 'a missing language',
      document: v2({ ddtraces: [{ namespace_selectors: ['a'], image: IMAGE }] }),
      error: /^admission_inject_v2\.ddtraces\[0\]\.language: is required \(java, python, php, nodejs\)$/,
    },
    {
      name: 'the v1 alias js',
      document: v2({ ddtraces: [java({ language: 'js' })] }),
      error: /language: "js" is not a v2 language .*use "nodejs"/,
    },
    {
      name: 'an unknown language',
      document: v2({ ddtraces: [java({ language: 'ruby' })] }),
      error: /language: "ruby" is not one of java, python, php, nodejs/,
    },
    {
      name: 'a missing image',
      document: v2({ ddtraces: [{ namespace_selectors: ['a'], language: 'java' }] }),
      error: /^admission_inject_v2\.ddtraces\[0\]\.image: is required/,
    },
    {
      name: 'a bad php_loader_flavor',
      document: v2({ ddtraces: [java({ language: 'php', php_loader_flavor: 'alpine' })] }),
      error: /php_loader_flavor: "alpine" is not one of linux-gnu, linux-musl/,
    },
    {
      name: 'a check_annotation that is not a boolean',
      document: v2({ ddtraces: [java({ check_annotation: 'yes' })] }),
      error: /ddtraces\[0\]\.check_annotation: expected true or false/,
    },
    {
      name: 'a bad resource quantity',
      document: v2({ ddtraces: [java({ resources: { limits: { cpu: 'lots' } } })] }),
      error: /ddtraces\[0\]\.resources\.limits\.cpu: "lots" is not a Kubernetes quantity/,
    },
    {
      name: 'a relative flameshot profiling path',
      document: v2({
        flameshots: [
          java({
            processes: 'java',
            envs: { FLAMESHOT_PROFILING_PATH: 'data', FLAMESHOT_HTTP_LOCAL_PORT: '8089' },
          }),
        ],
      }),
      error:
        /^admission_inject_v2\.flameshots\[0\]\.envs\.FLAMESHOT_PROFILING_PATH: "data" is not an absolute directory/,
    },
    {
      name: 'a flameshot port out of range',
      document: v2({
        flameshots: [
          java({
            processes: 'java',
            envs: { FLAMESHOT_PROFILING_PATH: '/d', FLAMESHOT_HTTP_LOCAL_PORT: '70000' },
          }),
        ],
      }),
      error: /flameshots\[0\]\.envs\.FLAMESHOT_HTTP_LOCAL_PORT: "70000" is not a port number \(1 to 65535\)/,
    },
    {
      name: 'a log_configs file entry with a relative path',
      document: v2({ logfwds: [java({ log_configs: '[{"type":"file","path":"app.log"}]' })] }),
      error:
        /^admission_inject_v2\.logfwds\[0\]\.log_configs: entry 0: a file entry needs an absolute "path"/,
    },
    {
      name: 'log_configs that is not JSON',
      document: v2({ logfwds: [java({ log_configs: '[{' })] }),
      error: /^admission_inject_v2\.logfwds\[0\]\.log_configs: is not valid JSON/,
    },
    {
      name: 'a relative log_volume_paths entry',
      document: v2({ logfwds: [java({ log_volume_paths: ['logs'] })] }),
      error: /logfwds\[0\]\.log_volume_paths\[0\]: "logs" is not an absolute directory/,
    },
  ];
  for (const { name, document, error } of cases) {
    it(name, () => {
      const { errors } = load(document);
      assert.ok(
        errors.some((e) => error.test(e)),
        `no error matching ${error} in ${JSON.stringify(errors)}`,
      );
    });
  }
});

describe('admission_inject_v2: entries upstream dropped (reference §1.9)', () => {
  it('starts without a non-string env value, naming it, as upstream dropped it', () => {
    const result = resolveConfig(v2({ ddtraces: [java({ envs: { PORT: 9529, HOST: 'dk' } })] }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.ignored.length, 1);
    assert.match(
      result.value.ignored[0] ?? '',
      /ddtraces\[0\]\.envs\.PORT: 9529 is not a string; write it as "9529"/,
    );
    assert.deepEqual(
      result.value.config.admission_inject_v2.ddtraces[0]?.envs.map((env) => env.name),
      ['HOST'],
    );
  });
});

describe('admission_inject_v2: warnings', () => {
  const cases: readonly { name: string; document: unknown; warning: RegExp }[] = [
    {
      name: 'an unknown key of a rule (a key of another list)',
      document: v2({ ddtraces: [java({ processes: 'java' })] }),
      warning: /^unknown key "admission_inject_v2\.ddtraces\[0\]\.processes" is ignored$/,
    },
    {
      name: 'an unknown list',
      document: v2({ tracers: [] }),
      warning: /^unknown key "admission_inject_v2\.tracers" is ignored$/,
    },
    {
      name: 'a rule with no selectors never matches',
      document: v2({ ddtraces: [java({ namespace_selectors: [] })] }),
      warning:
        /^admission_inject_v2\.ddtraces\[0\]: has neither namespace_selectors nor label_selectors, so it never matches/,
    },
    {
      name: 'a wrong image_pull_policy falls back to Always (as upstream)',
      document: v2({ ddtraces: [java({ image_pull_policy: 'ifnotpresent' })] }),
      warning:
        /ddtraces\[0\]\.image_pull_policy: "ifnotpresent" is not one of Always, IfNotPresent, Never \(case-sensitive\); Always is used/,
    },
    {
      name: 'php_loader_flavor on a java rule',
      document: v2({ ddtraces: [java({ php_loader_flavor: 'linux-musl' })] }),
      warning: /php_loader_flavor: is only used by php rules/,
    },
    {
      name: 'a flameshot rule with empty processes never injects',
      document: v2({
        flameshots: [
          java({
            processes: '',
            envs: { FLAMESHOT_PROFILING_PATH: '/d', FLAMESHOT_HTTP_LOCAL_PORT: '8089' },
          }),
        ],
      }),
      warning: /^admission_inject_v2\.flameshots\[0\]\.processes: is empty, so this rule never injects/,
    },
    {
      name: 'a flameshot rule without its port env never injects',
      document: v2({ flameshots: [java({ processes: 'java', envs: { FLAMESHOT_PROFILING_PATH: '/d' } })] }),
      warning: /^admission_inject_v2\.flameshots\[0\]\.envs: has no FLAMESHOT_HTTP_LOCAL_PORT/,
    },
    {
      name: 'an otels image_pull_policy that is not one of the three falls back to Always (upstream 1.9.2)',
      document: v2({ otels: [java({ image_pull_policy: 'always' })] }),
      warning:
        /^admission_inject_v2\.otels\[0\]\.image_pull_policy: "always" is not one of .*; Always is used$/,
    },
    {
      name: 'a shadowed otels rule needing the same annotation',
      document: v2({ otels: [java({ check_annotation: true }), java({ check_annotation: true })] }),
      warning:
        /otels\[1\]: can never be chosen: .*needs the same annotation admission\.datakit\/otel-java-lib\.version/,
    },
    {
      name: 'a shadowed rule',
      document: v2({ ddtraces: [java(), java({ language: 'python' })] }),
      warning:
        /^admission_inject_v2\.ddtraces\[1\]: can never be chosen: the earlier rule admission_inject_v2\.ddtraces\[0\] matches every pod this rule matches and has check_annotation: false/,
    },
    {
      name: 'a shadowed rule needing the same annotation',
      document: v2({
        ddtraces: [java({ check_annotation: true }), java({ check_annotation: true, name: 'second' })],
      }),
      warning:
        /ddtraces\[1\]: can never be chosen: .*needs the same annotation admission\.datakit\/java-lib\.version/,
    },
  ];
  for (const { name, document, warning } of cases) {
    it(name, () => {
      const { warnings, errors } = load(document);
      assert.deepEqual(errors, []);
      assert.ok(
        warnings.some((w) => warning.test(w)),
        `no warning matching ${warning} in ${JSON.stringify(warnings)}`,
      );
    });
  }

  it('does not call a rule shadowed when the earlier one needs an annotation of another language', () => {
    const { warnings } = load(
      v2({ ddtraces: [java({ check_annotation: true }), java({ language: 'python' })] }),
    );
    assert.deepEqual(warnings, []);
  });
});

describe('admission_inject_v2: a v1 section takes precedence (reference §1.7)', () => {
  const cases = [
    {
      name: 'v1 ddtrace with images overrides ddtraces',
      v1: { ddtrace: { images: { java_agent_image: IMAGE } } },
      overridden: ['ddtraces'],
    },
    {
      name: 'v1 ddtrace with envs overrides ddtraces',
      v1: { ddtrace: { envs: { A: '1' } } },
      overridden: ['ddtraces'],
    },
    {
      name: 'v1 selectors alone do not override',
      v1: { ddtrace: { enabled_namespaces: [{ namespace: 'x', language: 'java' }] } },
      overridden: [],
    },
    {
      name: 'empty images and envs do not override',
      v1: { ddtrace: { images: {}, envs: {} } },
      overridden: [],
    },
    { name: 'the built-in v1 defaults alone do not override', v1: undefined, overridden: [] },
  ] as const;
  for (const { name, v1, overridden } of cases) {
    it(name, () => {
      const document = v2({ ddtraces: [java()] }, v1 === undefined ? {} : { admission_inject: v1 });
      const { config, warnings } = load(document);
      assert.deepEqual(config?.admission_inject_v2.overridden_by_v1, overridden);
      assert.equal(config?.admission_inject_v2.ddtraces.length, overridden.length === 0 ? 1 : 0);
      const said = warnings.some((w) =>
        /^admission_inject_v2\.ddtraces: its 1 rule is ignored because admission_inject\.ddtrace sets images or envs/.test(
          w,
        ),
      );
      assert.equal(said, overridden.length > 0, JSON.stringify(warnings));
    });
  }

  it('says that v1 selectors are ignored when the v2 list is in effect', () => {
    const document = v2(
      { ddtraces: [java()] },
      { admission_inject: { ddtrace: { enabled_namespaces: [{ namespace: 'x', language: 'java' }] } } },
    );
    assert.ok(
      load(document).warnings.some((w) =>
        /^admission_inject\.ddtrace: its enabled_namespaces and enabled_labelselectors are ignored/.test(w),
      ),
    );
  });
});

describe('admission_inject_v2.otels (reference §1.1)', () => {
  function loadIgnoring(document: unknown) {
    const result = resolveConfig(document);
    assert.ok(result.ok, result.ok ? '' : result.error.map((problem) => problem.message).join('\n'));
    return result.value;
  }

  it('reads every field: selectors, language, check_annotation, image, pull policy, ordered envs, resources', () => {
    const result = loadIgnoring(
      v2({
        otels: [
          java({
            name: 'otel-java',
            label_selectors: ['admission.datakit/otel-language=java'],
            check_annotation: true,
            image_pull_policy: 'IfNotPresent',
            envs: { POD_NAME: '{fieldRef:metadata.name}', OTEL_SERVICE_NAME: 'x' },
            resources: { limits: { cpu: '1' } },
          }),
        ],
      }),
    );
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.ignored, []);
    const rule = result.config.admission_inject_v2.otels[0];
    assert.equal(rule?.name, 'otel-java');
    assert.equal(rule?.language, 'java');
    assert.equal(rule?.check_annotation, true);
    assert.equal(rule?.image, IMAGE);
    assert.equal(rule?.image_pull_policy, 'IfNotPresent');
    assert.deepEqual(
      rule?.envs.map((env) => env.name),
      ['POD_NAME', 'OTEL_SERVICE_NAME'],
    );
    assert.deepEqual(rule?.resources, { limits: { cpu: '1' } });
    assert.equal(rule?.namespace_selectors[0]?.matches('my-default-ns'), false, 'anchored');
    assert.equal(rule?.label_selectors[0]?.matches({ 'admission.datakit/otel-language': 'java' }), true);
  });

  it('applies the upstream defaults: Always and requests 100m/64Mi, limits 500m/512Mi', () => {
    const rule = loadIgnoring(v2({ otels: [java()] })).config.admission_inject_v2.otels[0];
    assert.equal(rule?.image_pull_policy, 'Always');
    assert.deepEqual(rule?.resources, V2_DEFAULT_RESOURCES);
    assert.equal(rule?.check_annotation, false);
  });

  const leftOut = [
    { name: 'a language in another case', language: 'Java' },
    { name: 'an alias', language: 'node' },
    { name: 'a DDTrace-only language', language: 'php' },
    { name: 'an empty language', language: '' },
  ];
  for (const { name, language } of leftOut) {
    it(`leaves out a rule with ${name}, loudly, so that the later rules still apply (O3)`, () => {
      const result = loadIgnoring(v2({ otels: [java({ language }), java({ language: 'python' })] }));
      assert.deepEqual(
        result.config.admission_inject_v2.otels.map((rule) => rule.path),
        ['admission_inject_v2.otels[1]'],
      );
      assert.equal(result.ignored.length, 1);
      assert.match(
        result.ignored[0] ?? '',
        /^admission_inject_v2\.otels\[0\]\.language: .*one of java, python, nodejs \(case-sensitive, no aliases\); this entry is ignored \(the Go operator chose such a rule/,
      );
    });
  }

  for (const [name, image] of [
    ['no image', undefined],
    ['a blank image', '  '],
  ] as const) {
    it(`leaves out a rule with ${name}, which upstream loads and skips at admission (SPEC §12.1)`, () => {
      const blank = {
        namespace_selectors: ['*'],
        language: 'java',
        ...(image === undefined ? {} : { image }),
      };
      const result = loadIgnoring(v2({ otels: [blank, java({ language: 'python' })] }));
      assert.deepEqual(
        result.config.admission_inject_v2.otels.map((rule) => rule.path),
        ['admission_inject_v2.otels[1]'],
      );
      assert.match(result.ignored[0] ?? '', /^admission_inject_v2\.otels\[0\]\.image: is required/);
    });
  }

  it('leaves out a rule without a language', () => {
    const result = loadIgnoring(v2({ otels: [{ namespace_selectors: ['*'], image: IMAGE }] }));
    assert.deepEqual(result.config.admission_inject_v2.otels, []);
    assert.match(result.ignored[0] ?? '', /otels\[0\]\.language: is required/);
  });

  const refused = [
    {
      name: 'a language that is not a string',
      rule: java({ language: 1 }),
      error: /otels\[0\]\.language: 1 is not a string/,
    },
    { name: 'a key of another list', rule: java({ php_loader_flavor: 'linux-gnu' }), error: undefined },
  ];
  for (const { name, rule, error } of refused) {
    it(`${error === undefined ? 'warns about' : 'refuses'} ${name}`, () => {
      const result = resolveConfig(v2({ otels: [rule] }));
      if (error === undefined) {
        assert.ok(result.ok);
        assert.ok(
          result.value.warnings.some((w) => w.includes('php_loader_flavor')),
          result.value.warnings.join('\n'),
        );
      } else {
        assert.equal(result.ok, false);
        if (!result.ok) {
          const messages = result.error.map((problem) => problem.message);
          assert.ok(
            messages.some((message) => error.test(message)),
            messages.join('\n'),
          );
        }
      }
    });
  }
});
