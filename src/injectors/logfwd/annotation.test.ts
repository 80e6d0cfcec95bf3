import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../errors/codes.ts';
import { parseLogfwdInstances } from './annotation.ts';
import {
  MAX_INSTANCES_PER_POD,
  MAX_LOG_PATH_CHARACTERS_PER_POD,
  MAX_LOG_PATHS_PER_POD,
  MAX_PROBLEMS_REPORTED,
} from './constants.ts';
import { detailsOf } from '../../errors/problem.ts';

const KEY = 'admission.datakit/logfwd.instances';

/** One instance with one logging, with `logging` merged into the logging. */
function withLogging(logging: Record<string, unknown>): string {
  return JSON.stringify([
    {
      datakit_addr: 'datakit-service.datakit.svc:9533',
      loggings: [{ logfiles: ['/var/log/a.log'], ...logging }],
    },
  ]);
}

describe('parseLogfwdInstances rejects', () => {
  const cases = [
    {
      name: 'an empty value',
      value: '  ',
      message: `${KEY}: is empty; give a JSON array of logfwd instances, or remove the annotation`,
    },
    {
      name: 'invalid JSON',
      value: '[{"loggings": [}]',
      message: new RegExp(`^${KEY}: is not valid JSON \\(.+\\)$`),
    },
    {
      name: 'an object instead of an array',
      value: '{"loggings":[]}',
      message: `${KEY}: must be a JSON array of instances, got an object`,
    },
    {
      name: 'an empty array',
      value: '[]',
      message: `${KEY}: is an empty array; give at least one instance, or remove the annotation`,
    },
    {
      name: 'an instance that is not an object',
      value: '["x"]',
      message: `${KEY}[0]: must be an object with "datakit_addr" and "loggings", got the string "x"`,
    },
    {
      name: 'an instance without loggings',
      value: '[{"datakit_addr":"a:1"}]',
      message: `${KEY}[0].loggings: is missing; give an array of loggings, each with "logfiles"`,
    },
    {
      name: 'loggings that is not an array',
      value: '[{"loggings":{}}]',
      message: `${KEY}[0].loggings: must be a non-empty array of loggings, got an object`,
    },
    {
      name: 'an empty loggings array',
      value: '[{"loggings":[]}]',
      message: `${KEY}[0].loggings: must be a non-empty array of loggings, got an empty array`,
    },
    {
      name: 'a logging that is not an object',
      value: '[{"loggings":[7]}]',
      message: `${KEY}[0].loggings[0]: must be an object with "logfiles", got the number 7`,
    },
    {
      name: 'a logging without logfiles',
      value: '[{"loggings":[{"source":"s"}]}]',
      message: `${KEY}[0].loggings[0].logfiles: is missing; list the absolute paths (globs allowed) of the files to collect`,
    },
    {
      name: 'logfiles that is a string',
      value: withLogging({ logfiles: '/var/log/a.log' }),
      message: `${KEY}[0].loggings[0].logfiles: must be a non-empty array of absolute paths, got the string "/var/log/a.log"`,
    },
    {
      name: 'an empty logfiles array',
      value: withLogging({ logfiles: [] }),
      message: `${KEY}[0].loggings[0].logfiles: must be a non-empty array of absolute paths, got an empty array`,
    },
    {
      name: 'a logfile that is not a string',
      value: withLogging({ logfiles: [null] }),
      message: `${KEY}[0].loggings[0].logfiles[0]: must be a string, got null`,
    },
    {
      name: 'a relative logfile path, naming its position',
      value: JSON.stringify([
        { loggings: [{ logfiles: ['/ok.d/a.log'] }, { logfiles: ['/var/log/b.log', 'var/log/a.log'] }] },
      ]),
      message: `${KEY}[0].loggings[1].logfiles[1]: "var/log/a.log" is not an absolute path`,
    },
    {
      name: 'a logfile directly in the root directory',
      value: withLogging({ logfiles: ['/*.log'] }),
      message: `${KEY}[0].loggings[0].logfiles[0]: "/*.log" lies directly in "/", which cannot be shared with the logfwd sidecar; write the logs into a directory such as /var/log/app`,
    },
    {
      name: 'an unknown character_encoding',
      value: withLogging({ character_encoding: 'UTF8' }),
      message: `${KEY}[0].loggings[0].character_encoding: "UTF8" is not one of utf-8, utf-16le, utf-16be, gbk, gb18030 (or "" to read the files as they are)`,
    },
    {
      name: 'a character_encoding that is not a string',
      value: withLogging({ character_encoding: 8 }),
      message: `${KEY}[0].loggings[0].character_encoding: must be a string, got the number 8`,
    },
    {
      name: 'a datakit_addr that is not a string',
      value: '[{"datakit_addr":9533,"loggings":[{"logfiles":["/l/a"]}]}]',
      message: `${KEY}[0].datakit_addr: must be a string, got the number 9533`,
    },
    {
      name: 'a source that is not a string',
      value: withLogging({ source: ['s'] }),
      message: `${KEY}[0].loggings[0].source: must be a string, got an array`,
    },
    {
      name: 'a remove_ansi_escape_codes string',
      value: withLogging({ remove_ansi_escape_codes: 'true' }),
      message: `${KEY}[0].loggings[0].remove_ansi_escape_codes: must be true or false (a JSON boolean), got the string "true"`,
    },
    {
      name: 'tags with a non-string value',
      value: withLogging({ tags: { a: 1 } }),
      message: `${KEY}[0].loggings[0].tags: must be an object of string values, e.g. {"key1":"value1"}, got an object holding a non-string value`,
    },
    {
      name: 'tags that is an array',
      value: withLogging({ tags: ['a:b'] }),
      message: `${KEY}[0].loggings[0].tags: must be an object of string values, e.g. {"key1":"value1"}, got an array`,
    },
    {
      name: 'ignore with a non-string',
      value: withLogging({ ignore: [1] }),
      message: `${KEY}[0].loggings[0].ignore: must be an array of strings, got an array holding a non-string`,
    },
    {
      name: 'every problem at once, separated by "; "',
      value: '[{"loggings":[{"logfiles":["a"]}]},5]',
      message: `${KEY}[0].loggings[0].logfiles[0]: "a" is not an absolute path; ${KEY}[1]: must be an object with "datakit_addr" and "loggings", got the number 5`,
    },
  ];
  for (const { name, value, message } of cases) {
    it(name, () => {
      const result = parseLogfwdInstances(value);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.code, ErrorCode.ANNOTATION_INVALID);
      if (typeof message === 'string') assert.equal(result.error.message, message);
      else assert.match(result.error.message, message);
      assert.equal(detailsOf(result.error).join('; '), result.error.message);
    });
  }
});

describe('parseLogfwdInstances accepts', () => {
  const cases = [
    {
      name: "the manual's example, as a one-element array per instance",
      value:
        '[{"datakit_addr":"datakit-service.datakit.svc:9533","loggings":[{"logfiles":["/var/log/log-test/*.log"],"source":"deployment-logging","tags":{"key01":"value01"}}]}]',
      instances: [
        {
          jsonConfig:
            '[{"datakit_addr":"datakit-service.datakit.svc:9533","loggings":[{"logfiles":["/var/log/log-test/*.log"],"source":"deployment-logging","tags":{"key01":"value01"}}]}]',
          logfiles: ['/var/log/log-test/*.log'],
        },
      ],
    },
    {
      name: 'every documented key with its type, null for optional keys, and an empty encoding',
      value: JSON.stringify([
        {
          datakit_addr: null,
          loggings: [
            {
              logfiles: ['/a/x.log'],
              ignore: ['*.gz'],
              source: 's',
              service: 'v',
              pipeline: 'p.p',
              storage_index: 'i',
              character_encoding: '',
              multiline_match: '^\\d{4}',
              remove_ansi_escape_codes: true,
              tags: null,
            },
            { logfiles: ['/b/*.log'], character_encoding: 'gb18030' },
          ],
        },
      ]),
      logfiles: [['/a/x.log', '/b/*.log']],
    },
    {
      name: 'unknown keys untouched, in the order written, one config per instance',
      value:
        ' [ {"z_unknown": {"2":1.50, "1":[true]}, "loggings": [ {"logfiles":["/l/a.log"], "from_beginning": "yes"} ]} ,\n {"loggings":[{"logfiles":["/m/*.log"]}], "datakit_addr":"h:1"} ] ',
      instances: [
        {
          jsonConfig:
            '[{"z_unknown":{"2":1.50,"1":[true]},"loggings":[{"logfiles":["/l/a.log"],"from_beginning":"yes"}]}]',
          logfiles: ['/l/a.log'],
        },
        {
          jsonConfig: '[{"loggings":[{"logfiles":["/m/*.log"]}],"datakit_addr":"h:1"}]',
          logfiles: ['/m/*.log'],
        },
      ],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = parseLogfwdInstances(testCase.value);
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      if ('instances' in testCase) assert.deepEqual(result.value, testCase.instances);
      if ('logfiles' in testCase) {
        assert.deepEqual(
          result.value.map((instance) => instance.logfiles),
          testCase.logfiles,
        );
      }
      for (const instance of result.value) {
        assert.equal((JSON.parse(instance.jsonConfig) as unknown[]).length, 1);
      }
    });
  }
});

describe('parseLogfwdInstances per-pod limits (SPEC §15)', () => {
  const instance = (logfiles: string[], ignore?: string[]) => ({
    datakit_addr: 'h:1',
    loggings: [ignore === undefined ? { logfiles } : { logfiles, ignore }],
  });
  const files = (count: number, from = 0) =>
    Array.from({ length: count }, (_, i) => `/var/log/a/${from + i}.log`);

  function limitError(value: string): string {
    const result = parseLogfwdInstances(value);
    assert.equal(result.ok, false, 'expected the limit to be exceeded');
    if (result.ok) return '';
    assert.equal(result.error.code, ErrorCode.LIMIT_EXCEEDED);
    return result.error.message;
  }

  it('exports the documented limits', () => {
    assert.equal(MAX_INSTANCES_PER_POD, 16);
    assert.equal(MAX_LOG_PATHS_PER_POD, 512);
    assert.equal(MAX_PROBLEMS_REPORTED, 10);
  });

  it(`accepts exactly ${MAX_INSTANCES_PER_POD} instances`, () => {
    const value = JSON.stringify(Array.from({ length: MAX_INSTANCES_PER_POD }, () => instance(['/l/a.log'])));
    const result = parseLogfwdInstances(value);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.value.length, MAX_INSTANCES_PER_POD);
  });

  it('refuses one instance more, naming the limit, before looking at any instance', () => {
    const value = JSON.stringify(Array.from({ length: MAX_INSTANCES_PER_POD + 1 }, () => 'not an instance'));
    assert.equal(
      limitError(value),
      `the annotation ${KEY} has 17 instances, more than the limit of 16 per pod`,
    );
    assert.equal(
      limitError(JSON.stringify(Array.from({ length: 10_000 }, () => ({})))),
      `the annotation ${KEY} has 10000 instances, more than the limit of 16 per pod`,
    );
  });

  it(`accepts exactly ${MAX_LOG_PATHS_PER_POD} log paths, logfiles and ignore entries of all instances together`, () => {
    const value = JSON.stringify([
      instance(
        files(200),
        Array.from({ length: 56 }, (_, i) => `*.${i}.gz`),
      ),
      instance(files(256, 200)),
    ]);
    const result = parseLogfwdInstances(value);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.value.flatMap((parsed) => parsed.logfiles).length, 456);
  });

  it('refuses one log path more, before checking any path', () => {
    const value = JSON.stringify([
      instance(
        files(200),
        Array.from({ length: 57 }, (_, i) => `*.${i}.gz`),
      ),
      instance([...files(255), 'relative/path.log']),
    ]);
    assert.equal(
      limitError(value),
      `the annotation ${KEY} has 513 log paths ("logfiles" and "ignore" entries of all loggings together), ` +
        'more than the limit of 512 per pod',
    );
  });

  it('refuses more loggings than log paths allowed, each logging needing a logfile', () => {
    const value = JSON.stringify([{ loggings: Array.from({ length: 513 }, () => ({})) }]);
    assert.equal(
      limitError(value),
      `the annotation ${KEY} has 513 loggings, more than the limit of 512 log paths per pod (each logging ` +
        'lists at least one logfile)',
    );
  });

  it('gives a short warning for 3,000 relative paths', () => {
    const value = JSON.stringify([instance(Array.from({ length: 3000 }, (_, i) => `var/log/${i}.log`))]);
    assert.ok(limitError(value).length < 200);
  });
});

describe('parseLogfwdInstances problem cap', () => {
  it(`reports the first ${MAX_PROBLEMS_REPORTED} problems, then how many more`, () => {
    const logfiles = Array.from({ length: 500 }, (_, i) => `var/log/${i}.log`);
    const result = parseLogfwdInstances(JSON.stringify([{ loggings: [{ logfiles }] }]));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, ErrorCode.ANNOTATION_INVALID);
    assert.equal(detailsOf(result.error).length, MAX_PROBLEMS_REPORTED + 1);
    assert.equal(
      detailsOf(result.error)[0],
      `${KEY}[0].loggings[0].logfiles[0]: "var/log/0.log" is not an absolute path`,
    );
    assert.equal(
      detailsOf(result.error)[9],
      `${KEY}[0].loggings[0].logfiles[9]: "var/log/9.log" is not an absolute path`,
    );
    assert.equal(detailsOf(result.error)[10], '… and 490 more problems');
    assert.equal(result.error.message, detailsOf(result.error).join('; '));
    assert.ok(result.error.message.length < 1200, `${result.error.message.length} characters`);
  });

  it('says "problem" for one more, and nothing when all are reported', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `r/${i}.log`);
    const result = parseLogfwdInstances(JSON.stringify([{ loggings: [{ logfiles: eleven }] }]));
    assert.ok(!result.ok);
    assert.equal(detailsOf(result.error).at(-1), '… and 1 more problem');
    const ten = parseLogfwdInstances(JSON.stringify([{ loggings: [{ logfiles: eleven.slice(1) }] }]));
    assert.ok(!ten.ok);
    assert.equal(detailsOf(ten.error).length, 10);
    assert.ok(!ten.error.message.includes('more problem'));
  });

  it('cuts a long value when it quotes it', () => {
    const long = `var/${'x'.repeat(60_000)}`;
    const result = parseLogfwdInstances(JSON.stringify([{ loggings: [{ logfiles: [long] }] }]));
    assert.ok(!result.ok);
    assert.equal(
      result.error.message,
      `${KEY}[0].loggings[0].logfiles[0]: ${JSON.stringify(long.slice(0, 100))}… (60004 characters) is not an absolute path`,
    );
  });
});

describe('the log path characters limit', () => {
  const instancesWith = (logfiles: string[]) =>
    JSON.stringify([{ datakit_addr: 'dk:9533', loggings: [{ logfiles }] }]);

  it(`accepts log paths of ${MAX_LOG_PATH_CHARACTERS_PER_POD} characters together`, () => {
    const path = `/var/log/${'x'.repeat(MAX_LOG_PATH_CHARACTERS_PER_POD / 2 - 9)}`;
    assert.equal(parseLogfwdInstances(instancesWith([path, path])).ok, true);
  });

  it('refuses 500 nested directories of 250 KB before looking at any of them', () => {
    const nested = Array.from({ length: 500 }, (_, i) => `/var/log/${'d/'.repeat(i + 1)}app.log`);
    const parsed = parseLogfwdInstances(instancesWith(nested));
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.error.code, ErrorCode.LIMIT_EXCEEDED);
    assert.match(
      parsed.error.message,
      new RegExp(`more than the limit of ${MAX_LOG_PATH_CHARACTERS_PER_POD} per pod`),
    );
  });
});
