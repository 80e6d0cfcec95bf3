import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isConfigMapKey,
  isDnsLabel,
  isDnsSubdomain,
  isEnvVarName,
  isLabelValue,
  isQualifiedName,
} from './k8s-names.ts';

type Validator = (s: string) => boolean;

const cases: ReadonlyArray<{ validator: Validator; valid: string[]; invalid: string[] }> = [
  {
    validator: isQualifiedName,
    valid: ['app', 'app.kubernetes.io/name', 'a', 'A_b-c.D', 'x'.repeat(63), 'example.com/' + 'x'.repeat(63)],
    invalid: ['', '/app', 'Example.com/app', 'a/b/c', '-app', 'app-', 'x'.repeat(64), 'a b', 'app/', 'a*'],
  },
  {
    validator: isLabelValue,
    valid: ['', 'v1', 'my_value.2-x', 'x'.repeat(63)],
    invalid: ['-v', 'v-', 'a b', 'x'.repeat(64), 'a/b', 'middleware*'],
  },
  {
    validator: isDnsSubdomain,
    valid: ['a', 'my-secret', 'datakit.token', 'a1.b2.c3', 'a'.repeat(253)],
    invalid: ['', 'A', 'my_secret', '-a', 'a-', 'a..b', '.a', 'a'.repeat(254)],
  },
  {
    validator: isDnsLabel,
    valid: ['a', 'datakit-lib-init', 'x'.repeat(63)],
    invalid: ['', 'a.b', 'A', '-a', 'x'.repeat(64)],
  },
  {
    validator: isEnvVarName,
    valid: ['DD_TAGS', 'my.env-name', '_x', '-x', 'a1', '.a'],
    invalid: ['', '1A', 'A B', 'A=B', '.', '..', '..a', 'A$'],
  },
  {
    validator: isConfigMapKey,
    valid: ['token', 'tls.crt', '1', '-_.x'],
    invalid: ['', 'a/b', 'a b', '.', '..', '..x', 'x'.repeat(254)],
  },
];

describe('Kubernetes name validators', () => {
  for (const { validator, valid, invalid } of cases) {
    for (const s of valid) {
      it(`${validator.name} accepts ${JSON.stringify(s.length > 40 ? `${s.slice(0, 10)}…(${s.length})` : s)}`, () => {
        assert.equal(validator(s), true);
      });
    }
    for (const s of invalid) {
      it(`${validator.name} rejects ${JSON.stringify(s.length > 40 ? `${s.slice(0, 10)}…(${s.length})` : s)}`, () => {
        assert.equal(validator(s), false);
      });
    }
  }
});
