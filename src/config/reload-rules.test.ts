import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from './schema.ts';
import { restartOnlyChanges } from './reload-rules.ts';
import type { OperatorConfig } from './types.ts';

function config(document: unknown): OperatorConfig {
  const result = resolveConfig(document);
  assert.ok(result.ok, JSON.stringify(result));
  return result.value.config;
}

describe('restartOnlyChanges', () => {
  const base = config({});
  const cases: readonly [name: string, document: unknown, changed: string[]][] = [
    ['nothing changed', {}, []],
    ['a live key', { log_level: 'debug' }, []],
    ['an injection setting', { admission_inject: { ddtrace: { envs: { A: 'b' } } } }, []],
    ['the kubernetes version', { kubernetes_version: '1.30' }, []],
    ['election timing', { election: { interval_seconds: 4, lease_duration_seconds: 40 } }, []],
    ['the main listener', { server_listen: '0.0.0.0:9000' }, ['server_listen']],
    ['the health listener', { health_listen: '0.0.0.0:9001' }, ['health_listen']],
    ['the operator namespace', { namespace: 'elsewhere' }, ['namespace']],
    ['the TLS mode', { tls: { mode: 'ephemeral' } }, ['tls']],
    ['a TLS file path', { tls: { cert_file: '/other/tls.crt' } }, ['tls']],
    ['the election store', { election: { store: 'memory' } }, ['election.store']],
    [
      'several at once, in table order',
      { namespace: 'x', server_listen: ':9000', election: { store: 'memory' }, log_level: 'warn' },
      ['server_listen', 'namespace', 'election.store'],
    ],
  ];
  for (const [name, document, changed] of cases) {
    it(`reports ${JSON.stringify(changed)} for ${name}`, () => {
      assert.deepEqual(restartOnlyChanges(base, config(document)), changed);
    });
  }
});
