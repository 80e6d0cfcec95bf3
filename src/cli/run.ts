// Runs one command line and returns its exit code; main.ts is the only place that touches `process`.

import type { CliIo, Command, ExitCode } from './command.ts';
import { COMMANDS } from './commands.ts';
import { dispatch } from './dispatch.ts';

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
): Promise<ExitCode> {
  return dispatch(argv, commands, io);
}
