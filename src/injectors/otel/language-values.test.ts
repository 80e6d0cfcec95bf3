import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JAVA_VALUE, NODEJS_VALUE, PYTHON_VALUE, type LanguageValue } from './language-values.ts';

const AGENT = '-javaagent:/otel-auto-instrumentation-java/javaagent.jar';
const PREFIX = '/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation';
const MOUNT = '/otel-auto-instrumentation-python';
const REQUIRE = '--require /otel-auto-instrumentation-nodejs/autoinstrumentation.js';

interface InjectCase {
  readonly name: string;
  readonly value: LanguageValue;
  readonly current: string | undefined;
  /** undefined: already injected, left as it is. */
  readonly expected: string | undefined;
}

const injectCases: readonly InjectCase[] = [
  { name: 'java: absent → the agent alone', value: JAVA_VALUE, current: undefined, expected: AGENT },
  { name: 'java: empty → the agent alone', value: JAVA_VALUE, current: '', expected: AGENT },
  {
    name: 'java: blank → the agent alone, no leading space',
    value: JAVA_VALUE,
    current: '  ',
    expected: AGENT,
  },
  {
    name: 'java: existing → appended after one space',
    value: JAVA_VALUE,
    current: '-Xmx1g',
    expected: `-Xmx1g ${AGENT}`,
  },
  {
    name: 'java: already injected',
    value: JAVA_VALUE,
    current: `-Xmx1g ${AGENT} -Dx=y`,
    expected: undefined,
  },
  { name: 'java: the agent alone is injected', value: JAVA_VALUE, current: AGENT, expected: undefined },
  {
    name: 'java: a longer option that only starts like ours is not ours',
    value: JAVA_VALUE,
    current: `${AGENT}x`,
    expected: `${AGENT}x ${AGENT}`,
  },
  {
    name: 'python: absent → prefix:mount',
    value: PYTHON_VALUE,
    current: undefined,
    expected: `${PREFIX}:${MOUNT}`,
  },
  { name: 'python: empty → prefix:mount', value: PYTHON_VALUE, current: '', expected: `${PREFIX}:${MOUNT}` },
  {
    name: 'python: existing → prefix:existing:mount',
    value: PYTHON_VALUE,
    current: '/app:/lib',
    expected: `${PREFIX}:/app:/lib:${MOUNT}`,
  },
  {
    name: 'python: already injected (alone)',
    value: PYTHON_VALUE,
    current: `${PREFIX}:${MOUNT}`,
    expected: undefined,
  },
  {
    name: 'python: already injected around the user value',
    value: PYTHON_VALUE,
    current: `${PREFIX}:/app:${MOUNT}`,
    expected: undefined,
  },
  {
    name: 'nodejs: absent → the require without a leading space (O1)',
    value: NODEJS_VALUE,
    current: undefined,
    expected: REQUIRE,
  },
  {
    name: 'nodejs: empty → the require without a leading space',
    value: NODEJS_VALUE,
    current: '',
    expected: REQUIRE,
  },
  {
    name: 'nodejs: existing → appended after one space',
    value: NODEJS_VALUE,
    current: '--max-old-space-size=256',
    expected: `--max-old-space-size=256 ${REQUIRE}`,
  },
  { name: 'nodejs: already injected, our form', value: NODEJS_VALUE, current: REQUIRE, expected: undefined },
  {
    name: "nodejs: already injected, upstream's form with the leading space",
    value: NODEJS_VALUE,
    current: ` ${REQUIRE}`,
    expected: undefined,
  },
  {
    name: 'nodejs: already injected after the user options',
    value: NODEJS_VALUE,
    current: `--inspect  ${REQUIRE}`,
    expected: undefined,
  },
];

describe('OpenTelemetry language values: inject', () => {
  for (const { name, value, current, expected } of injectCases) {
    it(name, () => {
      assert.equal(value.inject(current), expected);
      if (expected !== undefined) {
        assert.equal(value.conflict(expected), undefined, 'our own value is no conflict');
        assert.equal(value.inject(expected), undefined, 'a second pass recognises its own value');
      }
    });
  }
});

interface ConflictCase {
  readonly name: string;
  readonly value: LanguageValue;
  readonly current: string;
  /** A part of the problem; undefined: no conflict. */
  readonly problem: RegExp | undefined;
}

const conflictCases: readonly ConflictCase[] = [
  {
    name: 'java: DDTrace agent',
    value: JAVA_VALUE,
    current: '-javaagent:/datadog-lib/dd-java-agent.jar',
    problem: /DDTrace/,
  },
  { name: 'java: user options are fine', value: JAVA_VALUE, current: '-Xmx1g', problem: undefined },
  {
    name: 'python: DDTrace directory',
    value: PYTHON_VALUE,
    current: '/datadog-lib/:/app',
    problem: /DDTrace/,
  },
  {
    name: 'python: DDTrace directory without slash',
    value: PYTHON_VALUE,
    current: '/app:/datadog-lib',
    problem: /DDTrace/,
  },
  {
    name: 'python: our mount in another place',
    value: PYTHON_VALUE,
    current: `${MOUNT}:/app`,
    problem: /not in the form/,
  },
  {
    name: 'python: our prefix with a slash',
    value: PYTHON_VALUE,
    current: `${PREFIX}/:/app:${MOUNT}`,
    problem: /not in the form/,
  },
  {
    name: 'python: our prefix twice',
    value: PYTHON_VALUE,
    current: `${PREFIX}:${PREFIX}:${MOUNT}`,
    problem: /not in the form/,
  },
  { name: 'python: user paths are fine', value: PYTHON_VALUE, current: '/app:/lib', problem: undefined },
  {
    name: 'nodejs: DDTrace directory',
    value: NODEJS_VALUE,
    current: '--require=/datadog-lib/node_modules/dd-trace/init',
    problem: /DDTrace's directory/,
  },
  {
    name: 'nodejs: -r dd-trace/init',
    value: NODEJS_VALUE,
    current: '-r dd-trace/init',
    problem: /requires DDTrace/,
  },
  {
    name: 'nodejs: --require=dd-trace/init.js quoted',
    value: NODEJS_VALUE,
    current: '--require="dd-trace/init.js"',
    problem: /requires DDTrace/,
  },
  {
    name: 'nodejs: -r=/app/node_modules/dd-trace/init',
    value: NODEJS_VALUE,
    current: '-r=/app/node_modules/dd-trace/init',
    problem: /requires DDTrace/,
  },
  {
    name: 'nodejs: our require twice',
    value: NODEJS_VALUE,
    current: `${REQUIRE} ${REQUIRE}`,
    problem: /more than once/,
  },
  {
    name: 'nodejs: our path in the = form',
    value: NODEJS_VALUE,
    current: '--require=/otel-auto-instrumentation-nodejs/autoinstrumentation.js',
    problem: /not as the one/,
  },
  {
    name: 'nodejs: our require and another mention of the mount',
    value: NODEJS_VALUE,
    current: `${REQUIRE} --import /otel-auto-instrumentation-nodejs/x.mjs`,
    problem: /not as the one/,
  },
  {
    name: 'nodejs: another module named dd-trace-extra is fine',
    value: NODEJS_VALUE,
    current: '-r dd-trace-extra/init',
    problem: undefined,
  },
  {
    name: 'nodejs: user options are fine',
    value: NODEJS_VALUE,
    current: '--max-old-space-size=256',
    problem: undefined,
  },
];

describe('OpenTelemetry language values: conflicts', () => {
  for (const { name, value, current, problem } of conflictCases) {
    it(name, () => {
      const found = value.conflict(current);
      if (problem === undefined) assert.equal(found, undefined);
      else {
        assert.match(found?.problem ?? '', problem);
        assert.equal(
          found?.ddtrace,
          /DDTrace/.test(found?.problem ?? ''),
          'DDTrace conflicts are marked as such',
        );
      }
    });
  }
});
