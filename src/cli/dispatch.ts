// Parses a command line against a command table and runs the command. Kept apart from run.ts (which
// imports the full table) so that commands can dispatch to themselves without an import cycle.

import { ExitCode, type CliIo, type Command } from './command.ts';
import { parseCommandLine } from './parse.ts';
import { PROGRAM_NAME } from './usage.ts';

export async function dispatch(
  argv: readonly string[],
  commands: readonly Command[],
  io: CliIo,
): Promise<ExitCode> {
  const parsed = parseCommandLine(argv, commands);
  switch (parsed.kind) {
    case 'help':
      io.stdout(parsed.text);
      return ExitCode.OK;
    case 'usage-error':
      io.stderr(`${PROGRAM_NAME}: ${parsed.message}\n\n${parsed.usage}`);
      return ExitCode.USAGE;
    case 'run':
      return parsed.command.run(parsed.args, io);
  }
}
