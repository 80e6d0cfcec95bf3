// SPEC §12.1: every configuration the Go operator v1.5.18 starts with starts this operator with the same
// meaning, and what upstream silently went without is left out here too — loudly. One row per config an
// upgrading user may have; each says what the running config must then contain.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from './schema.ts';
import type { OperatorConfig } from './types.ts';

interface CompatCase {
  readonly name: string;
  readonly document: unknown;
  /** How many entries are left out (and reported) as upstream left them out. */
  readonly ignored: number;
  readonly check: (config: OperatorConfig) => void;
}

const ddtrace = (section: unknown): unknown => ({ admission_inject: { ddtrace: section } });

function selectorRule(config: OperatorConfig, index: number) {
  const rule = config.admission_inject.ddtrace.enabled_labelselectors[index];
  assert.ok(rule, `no label-selector rule ${index}`);
  return rule;
}

const cases: readonly CompatCase[] = [
  {
    name: 'a glob class in a label-selector value, as upstream tests use it',
    document: ddtrace({
      enabled_labelselectors: [{ labelselector: 'app=middleware-[abc]', language: 'java' }],
    }),
    ignored: 0,
    check: (config) => {
      const { selector } = selectorRule(config, 0);
      assert.equal(selector.matches({ app: 'middleware-b' }), true);
      assert.equal(selector.matches({ app: 'middleware-d' }), false);
    },
  },
  {
    name: 'a "?" in a label-selector value',
    document: ddtrace({ enabled_labelselectors: [{ labelselector: 'app=web-?', language: 'python' }] }),
    ignored: 0,
    check: (config) => {
      const { selector } = selectorRule(config, 0);
      assert.equal(selector.matches({ app: 'web-1' }), true);
      assert.equal(selector.matches({ app: 'web-12' }), false);
    },
  },
  {
    name: 'a numeric env value, which upstream skipped',
    document: ddtrace({ envs: { DD_AGENT_PORT: 9529, DD_SERVICE: 'shop' } }),
    ignored: 1,
    check: (config) => {
      assert.deepEqual(config.admission_inject.ddtrace.envs, [{ name: 'DD_SERVICE', value: 'shop' }]);
    },
  },
  {
    name: 'a cron shorthand for the profiler schedule',
    document: { admission_inject: { profiler: { envs: { DK_PROFILE_SCHEDULE: '@hourly' } } } },
    ignored: 0,
    check: (config) => {
      assert.deepEqual(config.admission_inject.profiler.envs, [
        { name: 'DK_PROFILE_SCHEDULE', value: '@hourly' },
      ]);
    },
  },
  {
    name: 'an empty quantity, which upstream left unset',
    document: ddtrace({ resources: { limits: { cpu: '' } } }),
    ignored: 0,
    check: (config) => {
      const { limits, requests } = config.admission_inject.ddtrace.resources;
      assert.equal(limits?.['cpu'], undefined);
      assert.equal(limits?.['memory'], '128Mi');
      assert.equal(requests?.['cpu'], '100m');
    },
  },
  {
    name: 'a namespace regex upstream could not compile, next to one it could',
    document: ddtrace({
      enabled_namespaces: [
        { namespace: 'team-(', language: 'java' },
        { namespace: 'shop', language: 'java' },
      ],
    }),
    ignored: 1,
    check: (config) => {
      assert.deepEqual(
        config.admission_inject.ddtrace.enabled_namespaces.map((rule) => rule.namespace),
        ['shop'],
      );
    },
  },
  {
    name: 'upper-case keys, which Go matched case-insensitively',
    document: {
      LOG_LEVEL: 'debug',
      Admission_Inject: {
        DDTrace: { Enabled_Namespaces: [{ Namespace: 'shop', Language: 'java' }] },
        Profiler: { Resources: { Limits: { Memory: '1Gi' } } },
      },
    },
    ignored: 0,
    check: (config) => {
      assert.equal(config.log_level, 'debug');
      assert.equal(config.admission_inject.ddtrace.enabled_namespaces[0]?.namespace, 'shop');
      assert.equal(config.admission_inject.profiler.resources.limits?.['memory'], '1Gi');
    },
  },
  {
    name: 'an upper-case v2 section key',
    document: {
      Admission_Inject_V2: {
        ddtraces: [
          { namespace_selectors: ['shop'], language: 'java', image: 'registry.example/java-init:1' },
        ],
      },
    },
    ignored: 0,
    check: (config) => assert.equal(config.admission_inject_v2.ddtraces.length, 1),
  },
  {
    name: 'upper-case keys inside v2 rules and their resources, which Go matched case-insensitively',
    document: {
      admission_inject_v2: {
        ddtraces: [
          {
            Namespace_Selectors: ['shop'],
            Language: 'java',
            Image: 'registry.example/java-init:1',
            Resources: { Limits: { CPU: '500m' } },
          },
        ],
      },
      admission_mutate: {
        loggings: [{ Namespace_Selectors: ['shop'], Config: '[{"type":"file","path":"/var/log/app.log"}]' }],
      },
    },
    ignored: 0,
    check: (config) => {
      const rule = config.admission_inject_v2.ddtraces[0];
      assert.equal(rule?.language, 'java');
      assert.equal(rule?.image, 'registry.example/java-init:1');
      assert.equal(rule?.resources.limits?.['cpu'], '500m');
      assert.equal(config.admission_mutate.loggings.length, 1);
    },
  },
  {
    name: 'a Go regex flag group in a namespace pattern',
    document: ddtrace({ enabled_namespaces: [{ namespace: '(?i)Shop-.*', language: 'java' }] }),
    ignored: 0,
    check: (config) => {
      const rule = config.admission_inject.ddtrace.enabled_namespaces[0];
      assert.equal(rule?.pattern.matches('shop-eu'), true);
    },
  },
  {
    name: 'a rule for a language upstream had no injector for',
    document: ddtrace({ enabled_namespaces: [{ namespace: 'legacy', language: 'ruby' }] }),
    ignored: 1,
    check: (config) => assert.deepEqual(config.admission_inject.ddtrace.enabled_namespaces, []),
  },
  {
    name: 'a label selector upstream could not parse',
    document: ddtrace({ enabled_labelselectors: [{ labelselector: 'app in (web', language: 'java' }] }),
    ignored: 1,
    check: (config) => assert.deepEqual(config.admission_inject.ddtrace.enabled_labelselectors, []),
  },
];

describe('configs the Go operator 1.5.18 starts with (SPEC §12.1)', () => {
  for (const c of cases) {
    it(`starts with ${c.name}`, () => {
      const result = resolveConfig(c.document);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.value.ignored.length, c.ignored, result.value.ignored.join('\n'));
      c.check(result.value.config);
    });
  }
});
