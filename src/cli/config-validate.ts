// `datakit-operator config validate FILE`: the same checks as start-up, without starting. The file is
// judged on its own: legacy ENV_* overrides of the current shell are deliberately not applied, so the
// answer does not depend on who runs the command.

import { loadConfig } from '../config/load.ts';
import { ExitCode, type Command } from './command.ts';
import { printOperatorError } from './print-error.ts';

export const configValidateCommand: Command = {
  path: ['config', 'validate'],
  synopsis: 'FILE',
  summary: 'Check a configuration file: prints "FILE: valid" and any warnings, or every problem (exit 1).',
  options: {},
  positionals: ['FILE'],
  async run({ positionals }, io) {
    const file = positionals[0] ?? '';
    const loaded = loadConfig({ file, env: {} });
    if (!loaded.ok) {
      printOperatorError(io, loaded.error);
      return ExitCode.BAD_INPUT;
    }
    io.stdout(`${file}: valid\n`);
    for (const warning of loaded.warnings) io.stderr(`${file}: warning: ${warning}\n`);
    return ExitCode.OK;
  },
};
