// `datakit-operator version`: name, version (from package.json) and the Node.js runtime.

import { readBuildInfo } from '../app/build-info.ts';
import { ExitCode, type Command } from './command.ts';

export const versionCommand: Command = {
  path: ['version'],
  synopsis: '',
  summary: 'Print the name, the version and the Node.js version.',
  options: {},
  positionals: [],
  async run(_args, io) {
    const build = readBuildInfo();
    io.stdout(`${build.name} ${build.version} (node ${build.nodeVersion})\n`);
    return ExitCode.OK;
  },
};
