import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '../errors/codes.ts';
import {
  BUILT_IN_DEFAULTS_ORIGIN,
  loadConfig,
  parseConfigText,
  resolveConfigSources,
  type LoadResult,
} from './load.ts';
import type { OperatorConfig } from './types.ts';
import { detailsOf } from '../errors/problem.ts';

type Env = Record<string, string | undefined>;

function loaded(result: LoadResult): { config: OperatorConfig; warnings: string[]; origin: string } {
  assert.ok(result.ok, result.ok ? '' : `${result.error.message}\n${detailsOf(result.error).join('\n')}`);
  return result.value;
}

function failed(result: LoadResult): NonNullable<Extract<LoadResult, { ok: false }>['error']> {
  assert.ok(!result.ok, 'expected the load to fail');
  return result.error;
}

function envsOf(config: OperatorConfig): [string, string][] {
  return config.admission_inject.ddtrace.envs.map((e) => [e.name, e.value]);
}

describe('resolveConfigSources', () => {
  const cases: readonly [name: string, argv: string | undefined, env: Env, expected: object][] = [
    ['--config wins over ENV_CONFIG_FILE', '/a.json', { ENV_CONFIG_FILE: '/b.json' }, { file: '/a.json' }],
    [
      'ENV_CONFIG_FILE is used without --config',
      undefined,
      { ENV_CONFIG_FILE: '/b.json' },
      { file: '/b.json' },
    ],
    [
      'a file wins over ENV_JSON_CONFIG',
      undefined,
      { ENV_CONFIG_FILE: '/b.json', ENV_JSON_CONFIG: '{}' },
      { file: '/b.json' },
    ],
    [
      'ENV_JSON_CONFIG is used when no file is given',
      undefined,
      { ENV_JSON_CONFIG: '{"log_level":"debug"}' },
      { jsonText: '{"log_level":"debug"}' },
    ],
    ['nothing set means the defaults', undefined, {}, {}],
    ['empty variables count as unset', '', { ENV_CONFIG_FILE: '', ENV_JSON_CONFIG: '' }, {}],
  ];
  for (const [name, argv, env, expected] of cases) {
    it(name, () => assert.deepEqual(resolveConfigSources(argv, env), { ...expected, env }));
  }
});

describe('parseConfigText: legacy env overrides', () => {
  const cases: readonly [name: string, document: string, env: Env, check: (c: OperatorConfig) => void][] = [
    [
      'ENV_LOG_LEVEL sets log_level',
      '{"log_level":"warn"}',
      { ENV_LOG_LEVEL: 'debug' },
      (c) => assert.equal(c.log_level, 'debug'),
    ],
    [
      'ENV_SERVER_LISTEN sets server_listen',
      '{}',
      { ENV_SERVER_LISTEN: ':8443' },
      (c) => assert.equal(c.server_listen, ':8443'),
    ],
    [
      'ENV_DD_AGENT_HOST replaces DD_AGENT_HOST where it is',
      '{}',
      { ENV_DD_AGENT_HOST: 'dk.local' },
      (c) => {
        assert.deepEqual(envsOf(c)[0], ['DD_AGENT_HOST', 'dk.local']);
        assert.equal(envsOf(c).length, 9);
      },
    ],
    [
      "ENV_DD_TRACE_AGENT_PORT replaces DD_TRACE_AGENT_PORT in the user's envs, keeping its position",
      '{"admission_inject":{"ddtrace":{"envs":{"A":"1","DD_TRACE_AGENT_PORT":"1","B":"2"}}}}',
      { ENV_DD_TRACE_AGENT_PORT: '9530' },
      (c) =>
        assert.deepEqual(envsOf(c), [
          ['A', '1'],
          ['DD_TRACE_AGENT_PORT', '9530'],
          ['B', '2'],
        ]),
    ],
    [
      "ENV_DD_AGENT_HOST is appended when the user's envs dropped DD_AGENT_HOST",
      '{"admission_inject":{"ddtrace":{"envs":{"A":"1"}}}}',
      { ENV_DD_AGENT_HOST: 'dk.local' },
      (c) =>
        assert.deepEqual(envsOf(c), [
          ['A', '1'],
          ['DD_AGENT_HOST', 'dk.local'],
        ]),
    ],
    [
      'ENV_DD_JAVA_AGENT_IMAGE',
      '{}',
      { ENV_DD_JAVA_AGENT_IMAGE: 'r.io/java:2' },
      (c) => assert.equal(c.admission_inject.ddtrace.images.java_agent_image, 'r.io/java:2'),
    ],
    [
      'ENV_DD_PYTHON_AGENT_IMAGE',
      '{}',
      { ENV_DD_PYTHON_AGENT_IMAGE: 'r.io/py:2' },
      (c) => assert.equal(c.admission_inject.ddtrace.images.python_agent_image, 'r.io/py:2'),
    ],
    [
      'ENV_DD_JS_AGENT_IMAGE',
      '{}',
      { ENV_DD_JS_AGENT_IMAGE: 'r.io/js:2' },
      (c) => assert.equal(c.admission_inject.ddtrace.images.js_agent_image, 'r.io/js:2'),
    ],
    [
      'ENV_LOGFWD_IMAGE',
      '{}',
      { ENV_LOGFWD_IMAGE: 'r.io/logfwd:2' },
      (c) => assert.equal(c.admission_inject.logfwd.images.logfwd_image, 'r.io/logfwd:2'),
    ],
    [
      'an empty variable is treated as unset',
      '{"log_level":"warn"}',
      { ENV_LOG_LEVEL: '' },
      (c) => assert.equal(c.log_level, 'warn'),
    ],
    [
      'unrelated variables change nothing',
      '{}',
      { LOG_LEVEL: 'debug', ENV_FOO: 'x' },
      (c) => assert.equal(c.log_level, 'info'),
    ],
  ];
  for (const [name, document, env, check] of cases) {
    it(name, () => check(loaded(parseConfigText(document, 'config.json', env)).config));
  }

  it('names the variable when an override is invalid', () => {
    const error = failed(parseConfigText('{}', 'config.json', { ENV_DD_JAVA_AGENT_IMAGE: 'Not An Image' }));
    assert.equal(error.code, ErrorCode.CONFIG_INVALID);
    assert.deepEqual(detailsOf(error), [
      'admission_inject.ddtrace.images.java_agent_image (set by ENV_DD_JAVA_AGENT_IMAGE): "Not An Image" is not a valid image reference ([registry/]repository[:tag][@digest], repository in lower case)',
    ]);
  });
});

describe('parseConfigText: errors', () => {
  it('gives line and column for a JSON syntax error', () => {
    const error = failed(
      parseConfigText('{\n  "log_level": "info",\n  "server_listen": }\n', '/etc/dko/config.json', {}),
    );
    assert.equal(error.code, ErrorCode.CONFIG_SYNTAX);
    assert.deepEqual(detailsOf(error), ["/etc/dko/config.json:3:20: Unexpected token '}'"]);
    assert.equal(
      error.message,
      "invalid JSON in /etc/dko/config.json at line 3, column 20: Unexpected token '}'",
    );
  });

  it('counts the problems in the message and lists each in details', () => {
    const error = failed(
      parseConfigText('{"log_level":"loud","election":{"store":"x"},"tls":{"mode":"y"}}', '/c.json', {}),
    );
    assert.equal(error.code, ErrorCode.CONFIG_INVALID);
    assert.equal(error.message, 'invalid configuration in /c.json (3 problems)');
    assert.equal(detailsOf(error).length, 3);
  });

  it('says "1 problem" for one', () => {
    assert.equal(
      failed(parseConfigText('{"log_level":"x"}', 'ENV_JSON_CONFIG', {})).message,
      'invalid configuration in ENV_JSON_CONFIG (1 problem)',
    );
  });

  it('rejects JSON that is not an object', () => {
    const error = failed(parseConfigText('[]', 'config.json', {}));
    assert.deepEqual(detailsOf(error), ['the configuration must be a JSON object, got an array']);
  });

  it('accepts a byte-order mark', () => {
    assert.equal(
      loaded(parseConfigText('\uFEFF{"log_level":"warn"}', 'c.json', {})).config.log_level,
      'warn',
    );
  });

  it('returns unknown-key warnings with the config', () => {
    assert.deepEqual(loaded(parseConfigText('{"extra":1}', 'c.json', {})).warnings, [
      'unknown key "extra" is ignored',
    ]);
  });
});

describe('loadConfig', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dko-load-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file and names it as the origin', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, '{"log_level":"debug"}');
    const result = loaded(loadConfig({ file, env: { ENV_JSON_CONFIG: '{"log_level":"error"}' } }));
    assert.equal(result.config.log_level, 'debug');
    assert.equal(result.origin, file);
  });

  it('applies legacy overrides on top of the file', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, '{"log_level":"debug"}');
    assert.equal(loaded(loadConfig({ file, env: { ENV_LOG_LEVEL: 'warn' } })).config.log_level, 'warn');
  });

  it('reports a missing file naming its path', () => {
    const file = join(dir, 'missing.json');
    const error = failed(loadConfig({ file, env: {} }));
    assert.equal(error.code, ErrorCode.CONFIG_FILE);
    assert.match(error.message, new RegExp(`^cannot read the config file ${file}: no such file`));
  });

  it('reports a directory given as the file', () => {
    const error = failed(loadConfig({ file: dir, env: {} }));
    assert.equal(error.code, ErrorCode.CONFIG_FILE);
    assert.match(error.message, /is a directory/);
  });

  it('uses ENV_JSON_CONFIG text when no file is given', () => {
    const result = loaded(loadConfig({ jsonText: '{"log_level":"error"}', env: {} }));
    assert.equal(result.config.log_level, 'error');
    assert.equal(result.origin, 'ENV_JSON_CONFIG');
  });

  it('uses the built-in defaults, with legacy overrides, when nothing is given', () => {
    const result = loaded(loadConfig({ env: { ENV_SERVER_LISTEN: ':9443' } }));
    assert.equal(result.origin, BUILT_IN_DEFAULTS_ORIGIN);
    assert.equal(result.config.server_listen, ':9443');
    assert.equal(result.config.health_listen, '0.0.0.0:9544');
  });
});
