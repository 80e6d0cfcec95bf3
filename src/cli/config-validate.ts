// `datakit-operator config validate FILE`: the same checks as start-up, without starting. The file is
// judged on its own: legacy ENV_* overrides of the current shell are deliberately not applied, so the
// answer does not depend on who runs the command.

import { loadConfig } from '../config/load.ts';
import { booleanOption, ExitCode, type Command } from './command.ts';
import { printProblem } from './print-error.ts';

export const configValidateCommand: Command = {
  path: ['config', 'validate'],
  synopsis: 'FILE [--strict]',
  summary:
    'Check a configuration file: prints "FILE: valid" and any warnings, or every problem (exit 1). ' +
    'Entries the operator would start without (as the Go operator did) also exit 1; --strict: exit 1 on ' +
    'any warning too.',
  options: { strict: { type: 'boolean' } },
  positionals: ['FILE'],
  async run({ values, positionals }, io) {
    const file = positionals[0] ?? '';
    const loaded = loadConfig({ file, env: {} });
    if (!loaded.ok) {
      printProblem(io, loaded.error);
      return ExitCode.BAD_INPUT;
    }
    const { ignored, warnings } = loaded.value;
    for (const entry of ignored) io.stderr(`${file}: error: ${entry}\n`);
    for (const warning of warnings) io.stderr(`${file}: warning: ${warning}\n`);
    if (ignored.length > 0) {
      const count = ignored.length;
      io.stderr(
        `${file}: not valid: ${count} ${count === 1 ? 'entry is' : 'entries are'} ignored; the operator ` +
          'starts without them, as the Go operator did, but they do not do what the file says\n',
      );
      return ExitCode.BAD_INPUT;
    }
    if (booleanOption(values, 'strict') && warnings.length > 0) {
      io.stderr(`${file}: --strict: ${warnings.length} warning(s)\n`);
      return ExitCode.BAD_INPUT;
    }
    io.stdout(`${file}: valid\n`);
    return ExitCode.OK;
  },
};
