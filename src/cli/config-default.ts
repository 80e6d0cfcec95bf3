// `datakit-operator config default`: the built-in configuration as JSON, ready to copy into a ConfigMap.

import { defaultConfigJson } from '../config/defaults.ts';
import { ExitCode, type Command } from './command.ts';

export const configDefaultCommand: Command = {
  path: ['config', 'default'],
  synopsis: '',
  summary: 'Print the built-in default configuration as JSON.',
  options: {},
  positionals: [],
  async run(_args, io) {
    const json = defaultConfigJson();
    io.stdout(json.endsWith('\n') ? json : `${json}\n`);
    return ExitCode.OK;
  },
};
