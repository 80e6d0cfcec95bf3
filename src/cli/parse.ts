// Pure: argv → which command to run with which options, or the help/usage text to print. Uses node's
// own parseArgs in strict mode, so an unknown flag or a missing flag value is a usage error (exit 2).

import { parseArgs } from 'node:util';
import type { Command, CommandArguments } from './command.ts';
import { formatCommandUsage, formatGroupUsage, formatUsage } from './usage.ts';

export const DEFAULT_COMMAND = 'serve';
/** `--version` with any command runs this one instead, as users of other CLIs expect. */
export const VERSION_COMMAND = 'version';

export type ParsedCommandLine =
  | { readonly kind: 'run'; readonly command: Command; readonly args: CommandArguments }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'usage-error'; readonly message: string; readonly usage: string };

const HELP_WORDS = new Set(['help', '-h', '--help']);

export function parseCommandLine(argv: readonly string[], commands: readonly Command[]): ParsedCommandLine {
  const first = argv[0];
  if (first !== undefined && HELP_WORDS.has(first)) return { kind: 'help', text: formatUsage(commands) };

  // No command word (nothing, or flags only): the default command, as in `datakit-operator --config F`.
  const words = first === undefined || first.startsWith('-') ? [DEFAULT_COMMAND, ...argv] : [...argv];
  const command = findCommand(words, commands);
  if (command === undefined) {
    const group = words[0] ?? '';
    if (isGroup(group, commands)) {
      const usage = formatGroupUsage(group, commands);
      if (words.slice(1).some((word) => HELP_WORDS.has(word))) return { kind: 'help', text: usage };
      return usageError(unknownCommandMessage(words, commands), usage);
    }
    return usageError(unknownCommandMessage(words, commands), formatUsage(commands));
  }

  let parsed: { values: CommandArguments['values']; positionals: string[] };
  try {
    parsed = parseArgs({
      args: words.slice(command.path.length),
      options: { ...command.options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usageError((error as Error).message, formatCommandUsage(command));
  }
  if (parsed.values['help'] === true) return { kind: 'help', text: formatCommandUsage(command) };
  const version = commands.find((candidate) => candidate.path.join(' ') === VERSION_COMMAND);
  if (parsed.values['version'] === true && version !== undefined) {
    return { kind: 'run', command: version, args: { values: {}, positionals: [] } };
  }
  const { version: _version, ...values } = parsed.values;

  const { positionals } = parsed;
  const missing = command.positionals[positionals.length];
  if (missing !== undefined) {
    return usageError(`${command.path.join(' ')} needs ${missing}`, formatCommandUsage(command));
  }
  if (positionals.length > command.positionals.length) {
    const extra = positionals.slice(command.positionals.length).join(' ');
    return usageError(`unexpected argument ${JSON.stringify(extra)}`, formatCommandUsage(command));
  }
  return { kind: 'run', command, args: { values, positionals } };
}

/** The command whose path is the longest prefix of `words`. */
function findCommand(words: readonly string[], commands: readonly Command[]): Command | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const matches = command.path.every((word, index) => words[index] === word);
    if (matches && command.path.length > (best?.path.length ?? 0)) best = command;
  }
  return best;
}

function isGroup(word: string, commands: readonly Command[]): boolean {
  return commands.some((command) => command.path.length > 1 && command.path[0] === word);
}

function unknownCommandMessage(words: readonly string[], commands: readonly Command[]): string {
  const group = words[0] ?? '';
  const subcommands = commands.filter((c) => c.path.length > 1 && c.path[0] === group).map((c) => c.path[1]);
  if (subcommands.length === 0) return `unknown command ${JSON.stringify(group)}`;
  const given = words[1];
  const allowed = subcommands.join(', ');
  return given === undefined || given.startsWith('-')
    ? `"${group}" needs a subcommand: ${allowed}`
    : `unknown command "${group} ${given}"; "${group}" has: ${allowed}`;
}

function usageError(message: string, usage: string): ParsedCommandLine {
  return { kind: 'usage-error', message, usage };
}
