import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EnvVar } from '../../podspec/types.ts';
import { planLanguageVariable } from './language-variable.ts';
import { otelLanguageRow } from './languages.ts';

const java = otelLanguageRow('java');
const nodejs = otelLanguageRow('nodejs');
const AGENT = '-javaagent:/otel-auto-instrumentation-java/javaagent.jar';

describe('planLanguageVariable', () => {
  it('adds the variable at the end of the list when absent', () => {
    const env: EnvVar[] = [{ name: 'A', value: '1' }];
    const result = planLanguageVariable(Object.freeze(env), java);
    assert.deepEqual(result, {
      kind: 'set',
      env: [
        { name: 'A', value: '1' },
        { name: 'JAVA_TOOL_OPTIONS', value: AGENT },
      ],
    });
  });

  it('changes the variable in place, as a new object, keeping its other fields', () => {
    const entry = Object.freeze({ name: 'JAVA_TOOL_OPTIONS', value: '-Xmx1g' });
    const env = Object.freeze([entry, { name: 'B', value: '2' }]);
    const result = planLanguageVariable(env, java);
    assert.equal(result.kind, 'set');
    if (result.kind !== 'set') return;
    assert.deepEqual(result.env[0], { name: 'JAVA_TOOL_OPTIONS', value: `-Xmx1g ${AGENT}` });
    assert.equal(result.env[1], env[1], 'the other entries are kept by reference');
    assert.equal(entry.value, '-Xmx1g');
  });

  it('recognises its own edit', () => {
    assert.deepEqual(planLanguageVariable([{ name: 'JAVA_TOOL_OPTIONS', value: AGENT }], java), {
      kind: 'present',
    });
  });

  const conflicts: readonly { name: string; env: EnvVar[]; problem: RegExp }[] = [
    {
      name: 'refuses a variable defined twice',
      env: [
        { name: 'NODE_OPTIONS', value: '' },
        { name: 'NODE_OPTIONS', value: '--inspect' },
      ],
      problem: /NODE_OPTIONS is defined more than once/,
    },
    {
      name: 'refuses a variable set with valueFrom',
      env: [{ name: 'NODE_OPTIONS', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }],
      problem: /valueFrom/,
    },
    {
      name: "refuses a value that loads DDTrace's agent",
      env: [{ name: 'NODE_OPTIONS', value: '-r dd-trace/init' }],
      problem: /^NODE_OPTIONS: it requires DDTrace/,
    },
  ];
  for (const { name, env, problem } of conflicts) {
    it(name, () => {
      const result = planLanguageVariable(env, nodejs);
      assert.equal(result.kind, 'conflict');
      if (result.kind === 'conflict') assert.match(result.problem, problem);
    });
  }

  it('reads a non-string value as empty rather than failing', () => {
    const env = [{ name: 'JAVA_TOOL_OPTIONS', value: 7 as unknown as string }];
    const result = planLanguageVariable(env, java);
    assert.equal(result.kind, 'set');
    if (result.kind === 'set') assert.equal(result.env[0]?.value, AGENT);
  });
});
