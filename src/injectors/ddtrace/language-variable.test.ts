import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyLanguageVariable } from './language-variable.ts';
import { PHP_ROW, languageRow } from './languages.ts';
import type { EnvVar } from '../../podspec/types.ts';
import type { LanguageVariable } from './languages.ts';

const [java, python, nodejs] = (['java', 'python', 'nodejs'] as const).map(
  (language) => languageRow(language).variables[0],
) as [LanguageVariable, LanguageVariable, LanguageVariable];
const [phpLoader, phpIni] = PHP_ROW.variables as [LanguageVariable, LanguageVariable];

const cases = [
  {
    name: 'adds JAVA_TOOL_OPTIONS when absent',
    variable: java,
    env: [],
    edit: 'added',
    value: '-javaagent:/datadog-lib/dd-java-agent.jar',
  },
  {
    name: 'appends to an existing JAVA_TOOL_OPTIONS with one space',
    variable: java,
    env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-Xmx1g' }],
    edit: 'joined',
    value: '-Xmx1g -javaagent:/datadog-lib/dd-java-agent.jar',
  },
  {
    name: 'never adds a leading space to an empty JAVA_TOOL_OPTIONS',
    variable: java,
    env: [{ name: 'JAVA_TOOL_OPTIONS', value: '' }],
    edit: 'joined',
    value: '-javaagent:/datadog-lib/dd-java-agent.jar',
  },
  {
    name: 'leaves JAVA_TOOL_OPTIONS alone when the agent is already there',
    variable: java,
    env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-Xmx1g -javaagent:/datadog-lib/dd-java-agent.jar' }],
    edit: 'present',
    value: '-Xmx1g -javaagent:/datadog-lib/dd-java-agent.jar',
  },
  {
    name: 'prepends to an existing PYTHONPATH with a colon',
    variable: python,
    env: [{ name: 'PYTHONPATH', value: '/app' }],
    edit: 'joined',
    value: '/datadog-lib/:/app',
  },
  {
    name: 'appends to an existing NODE_OPTIONS with one space',
    variable: nodejs,
    env: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=256' }],
    edit: 'joined',
    value: '--max-old-space-size=256 --require=/datadog-lib/node_modules/dd-trace/init',
  },
  {
    name: 'sets DD_LOADER_PACKAGE_PATH when absent',
    variable: phpLoader,
    env: [],
    edit: 'added',
    value: '/datadog-lib',
  },
  {
    name: 'keeps a non-empty DD_LOADER_PACKAGE_PATH of the user',
    variable: phpLoader,
    env: [{ name: 'DD_LOADER_PACKAGE_PATH', value: '/opt/dd' }],
    edit: 'present',
    value: '/opt/dd',
  },
  {
    name: 'fills an empty DD_LOADER_PACKAGE_PATH',
    variable: phpLoader,
    env: [{ name: 'DD_LOADER_PACKAGE_PATH', value: '' }],
    edit: 'joined',
    value: '/datadog-lib',
  },
  {
    name: "sets PHP_INI_SCAN_DIR to PHP's own directory and the loader's when absent",
    variable: phpIni,
    env: [],
    edit: 'added',
    value: '/usr/local/etc/php/conf.d:/datadog-lib',
  },
  {
    name: 'appends the loader directory to an existing PHP_INI_SCAN_DIR',
    variable: phpIni,
    env: [{ name: 'PHP_INI_SCAN_DIR', value: '/etc/php/conf.d' }],
    edit: 'joined',
    value: '/etc/php/conf.d:/datadog-lib',
  },
  {
    name: 'treats an empty PHP_INI_SCAN_DIR as absent',
    variable: phpIni,
    env: [{ name: 'PHP_INI_SCAN_DIR', value: '' }],
    edit: 'joined',
    value: '/usr/local/etc/php/conf.d:/datadog-lib',
  },
  {
    name: 'does not touch a variable defined with valueFrom',
    variable: java,
    env: [{ name: 'JAVA_TOOL_OPTIONS', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }],
    edit: 'value-from',
    value: undefined,
  },
] as const;

describe('applyLanguageVariable', () => {
  for (const { name, variable, env, edit, value } of cases) {
    it(name, () => {
      const given = Object.freeze(structuredClone(env) as unknown as EnvVar[]);
      const first = applyLanguageVariable(given, variable);
      assert.equal(first.edit, edit);
      assert.equal(first.env.find((item) => item.name === variable.name)?.value, value);
      const second = applyLanguageVariable(first.env, variable);
      assert.equal(second.edit, edit === 'value-from' ? 'value-from' : 'present');
      assert.equal(second.env, first.env, 'an unchanged list is returned as it is');
    });
  }
});
