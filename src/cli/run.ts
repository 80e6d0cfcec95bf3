// Runs one command line and returns its exit code; main.ts is the only place that touches `process`.

import { ExitCode, type CliIo, type Command } from './command.ts';
import { COMMANDS } from './commands.ts';
import { parseCommandLine } from './parse.ts';
import { PROGRAM_NAME } from './usage.ts';

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
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
