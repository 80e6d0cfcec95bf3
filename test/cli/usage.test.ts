// The command line's own texts, as a user sees them: the usage of the program, of a group and of each
// command against committed goldens (UPDATE_GOLDEN=1 rewrites them), every line within 100 columns, and
// `--help` / `--version` accepted with every command.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from '../../src/cli/commands.ts';
import { dispatch } from '../../src/cli/dispatch.ts';
import { USAGE_WIDTH } from '../../src/cli/usage.ts';
import { checkOrWriteGolden } from './support.ts';

const goldenDir = new URL('./golden/usage/', import.meta.url).pathname;

async function run(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const errors: string[] = [];
  const code = await dispatch(argv, COMMANDS, {
    stdout: (text) => out.push(text),
    stderr: (text) => errors.push(text),
    env: {},
  });
  return { code, stdout: out.join(''), stderr: errors.join('') };
}

function assertWithinWidth(text: string): void {
  for (const line of text.split('\n')) {
    assert.ok(line.length <= USAGE_WIDTH, `a line of ${line.length} columns: ${JSON.stringify(line)}`);
  }
}

type Golden = readonly [name: string, argv: readonly string[]];
const goldens: readonly Golden[] = [
  ['program', ['--help']],
  ['config', ['config', '--help']],
  ...COMMANDS.map((command): Golden => [command.path.join('-'), [...command.path, '--help']]),
];

describe('usage texts', () => {
  for (const [name, argv] of goldens) {
    it(`prints the ${name} usage for ${argv.join(' ')}, exit 0, within ${USAGE_WIDTH} columns`, async () => {
      const result = await run(argv);
      assert.equal(result.code, 0);
      assert.equal(result.stderr, '');
      assertWithinWidth(result.stdout);
      checkOrWriteGolden(`${goldenDir}${name}.txt`, result.stdout);
    });
  }

  it('answers "config" alone with the group usage as a usage error, exit 2', async () => {
    const result = await run(['config']);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /"config" needs a subcommand: validate, default\n\nUsage: datakit-operator config <subcommand>/,
    );
    assertWithinWidth(result.stderr);
  });

  for (const command of COMMANDS) {
    const path = command.path.join(' ');
    it(`prints the version for ${path} --version and -h usage for ${path} -h`, async () => {
      const version = await run([...command.path, '--version']);
      assert.equal(version.code, 0);
      assert.match(version.stdout, /^datakit-operator \S+ \(node v\d+\.\d+\.\d+\)\n$/);
      const help = await run([...command.path, '-h']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`^Usage: datakit-operator ${path}`));
    });
  }

  it('prints the version for the program alone with --version', async () => {
    const result = await run(['--version']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^datakit-operator /);
  });
});
