// `datakit-operator config default [--v2]`: the built-in configuration as JSON, ready to copy into a
// ConfigMap; with --v2, upstream 1.8.10's shipped `admission_inject_v2` configuration to start from instead.

import { defaultConfigJson } from '../config/defaults.ts';
import { upstreamV2DefaultJson } from '../config/v2/upstream-default.ts';
import { ExitCode, booleanOption, type Command } from './command.ts';

export const configDefaultCommand: Command = {
  path: ['config', 'default'],
  synopsis: '[--v2]',
  summary:
    "Print the built-in default configuration as JSON; --v2: upstream 1.8.10's default admission_inject_v2 configuration.",
  options: { v2: { type: 'boolean' } },
  positionals: [],
  async run({ values }, io) {
    const json = booleanOption(values, 'v2') ? upstreamV2DefaultJson() : defaultConfigJson();
    io.stdout(json.endsWith('\n') ? json : `${json}\n`);
    return ExitCode.OK;
  },
};
