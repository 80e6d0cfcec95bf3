import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../errors/codes.ts';
import { parseLogfwdInstances } from './annotation.ts';

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
      assert.equal(result.error.details.join('; '), result.error.message);
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
