import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG_DOCUMENT, defaultConfigJson } from './defaults.ts';
import { resolveConfig } from './schema.ts';

const manualDefault: unknown = JSON.parse(
  readFileSync(new URL('./fixtures/manual-default.json', import.meta.url), 'utf8'),
);

/**
 * Every value of `expected` is in `actual` at the same path. Objects may have more keys (the keys the manual
 * does not show), except `envs`, which must be the same list in the same order; arrays must be equal.
 */
function assertContainsDocument(actual: unknown, expected: unknown, path = '(root)'): void {
  if (Array.isArray(expected) || typeof expected !== 'object' || expected === null) {
    assert.deepEqual(actual, expected, path);
    return;
  }
  assert.ok(typeof actual === 'object' && actual !== null && !Array.isArray(actual), `${path} is an object`);
  for (const [key, value] of Object.entries(expected)) {
    const child: unknown = (actual as Record<string, unknown>)[key];
    if (key === 'envs') {
      assert.deepEqual(Object.entries(child as object), Object.entries(value as object), `${path}.envs`);
    } else {
      assertContainsDocument(child, value, `${path}.${key}`);
    }
  }
}

describe('built-in defaults', () => {
  it('contain the manual\'s "Default configuration" block exactly, env order included', () => {
    assertContainsDocument(DEFAULT_CONFIG_DOCUMENT, manualDefault);
  });

  const unshownKeys: readonly [path: string, expected: unknown][] = [
    ['health_listen', '0.0.0.0:9544'],
    [
      'admission_inject.ddtrace.images.python_agent_image',
      'pubrepo.guance.com/datakit-operator/dd-lib-python-init:v2.21.12',
    ],
    [
      'admission_inject.ddtrace.images.js_agent_image',
      'pubrepo.guance.com/datakit-operator/dd-lib-js-init:5.102.0',
    ],
    [
      'admission_inject.ddtrace.resources',
      { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    ],
    [
      'admission_inject.logfwd.resources',
      { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    ],
    [
      'admission_inject.profiler.resources',
      { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    ],
    ['admission_inject.logfwd.options', { reuse_exist_volume: 'false', sidecar_mode: 'auto' }],
    ['admission_inject.logfwd.envs', {}],
    ['admission_inject.profiler.enabled_namespaces', []],
    ['admission_inject.profiler.enabled_labelselectors', []],
    ['admission_inject.profiler.options', { sidecar_mode: 'auto', mount_host_localtime: 'true' }],
    [
      'tls',
      {
        mode: 'auto',
        cert_file: '/usr/local/datakit-operator/certs/tls.crt',
        key_file: '/usr/local/datakit-operator/certs/tls.key',
        secret_name: 'datakit-operator-tls',
        service_name: 'datakit-operator',
        webhook_config_name: 'datakit-operator-mutation',
      },
    ],
    ['namespace', ''],
    ['kubernetes_version', 'auto'],
    ['election', { store: 'auto', lease_duration_seconds: 30, interval_seconds: 3, max_scopes: 1000 }],
  ];
  for (const [path, expected] of unshownKeys) {
    it(`add ${path} from SPEC §2`, () => {
      const actual = path
        .split('.')
        .reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], DEFAULT_CONFIG_DOCUMENT);
      assert.deepEqual(actual, expected);
    });
  }

  it('resolve to a valid config without warnings', () => {
    const result = resolveConfig(DEFAULT_CONFIG_DOCUMENT);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.value.warnings, []);
  });

  it('cannot be changed by a caller', () => {
    assert.throws(() => {
      (DEFAULT_CONFIG_DOCUMENT.admission_inject.ddtrace.envs as Record<string, string>)['X'] = '1';
    }, TypeError);
  });

  it('print as 2-space indented JSON that parses back to the same document', () => {
    const text = defaultConfigJson();
    assert.deepEqual(JSON.parse(text), DEFAULT_CONFIG_DOCUMENT);
    assert.match(text, /^\{\n {2}"server_listen": "0\.0\.0\.0:9543",\n/);
  });
});
