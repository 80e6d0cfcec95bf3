import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from './commands.ts';
import { parseCommandLine } from './parse.ts';

describe('parseCommandLine', () => {
  const runs: readonly [string[], string, Record<string, unknown>, string[]][] = [
    [[], 'serve', {}, []],
    [['--config', 'c.json'], 'serve', { config: 'c.json' }, []],
    [
      ['serve', '--config=c.json', '--ca-out', '/tmp/ca.crt'],
      'serve',
      { config: 'c.json', 'ca-out': '/tmp/ca.crt' },
      [],
    ],
    [['serve', '--kubeconfig', '/k'], 'serve', { kubeconfig: '/k' }, []],
    [['config', 'validate', 'c.json'], 'config validate', {}, ['c.json']],
    [['config', 'default'], 'config default', {}, []],
    [['version'], 'version', {}, []],
  ];
  for (const [argv, command, values, positionals] of runs) {
    it(`runs ${command} for ${JSON.stringify(argv)}`, () => {
      const parsed = parseCommandLine(argv, COMMANDS);
      assert.equal(parsed.kind, 'run');
      if (parsed.kind !== 'run') return;
      assert.equal(parsed.command.path.join(' '), command);
      assert.deepEqual({ ...parsed.args.values }, values);
      assert.deepEqual(parsed.args.positionals, positionals);
    });
  }

  const helps: readonly [string[], RegExp][] = [
    [['--help'], /^Usage: datakit-operator <command>/],
    [['-h'], /config validate FILE/],
    [['help'], /version/],
    [['serve', '--help'], /^Usage: datakit-operator serve \[--config FILE\]/],
    [['config', 'validate', '-h'], /^Usage: datakit-operator config validate FILE/],
  ];
  for (const [argv, text] of helps) {
    it(`prints help for ${JSON.stringify(argv)}`, () => {
      const parsed = parseCommandLine(argv, COMMANDS);
      assert.equal(parsed.kind, 'help');
      if (parsed.kind === 'help') assert.match(parsed.text, text);
    });
  }

  const usageErrors: readonly [string[], RegExp][] = [
    [['bogus'], /^unknown command "bogus"$/],
    [['config'], /^"config" needs a subcommand: validate, default$/],
    [['config', 'nope'], /^unknown command "config nope"; "config" has: validate, default$/],
    [['config', 'validate'], /^config validate needs FILE$/],
    [['config', 'validate', 'a.json', 'b.json'], /^unexpected argument "b.json"$/],
    [['version', 'extra'], /^unexpected argument "extra"$/],
    [['serve', '--nope'], /Unknown option '--nope'/],
    [['--config'], /--config/],
    [['config', 'default', '--config', 'x'], /Unknown option '--config'/],
  ];
  for (const [argv, message] of usageErrors) {
    it(`refuses ${JSON.stringify(argv)} as a usage error`, () => {
      const parsed = parseCommandLine(argv, COMMANDS);
      assert.equal(parsed.kind, 'usage-error');
      if (parsed.kind !== 'usage-error') return;
      assert.match(parsed.message, message);
      assert.match(parsed.usage, /^Usage: datakit-operator/);
    });
  }
});
