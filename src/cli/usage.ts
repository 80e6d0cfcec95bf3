// Usage text, generated from the command table so it can never list a command that does not exist.
// Wrapped at 100 columns, so that it reads in an ordinary terminal and in CI logs.

import type { Command } from './command.ts';
import { wrapText } from '../text/wrap.ts';

export const PROGRAM_NAME = 'datakit-operator';
export const USAGE_WIDTH = 100;
const COMMAND_INDENT = '  ';
const SUMMARY_INDENT = '      ';
const SYNOPSIS_HANGING_INDENT = '    ';

export function formatUsage(commands: readonly Command[]): string {
  return [
    `Usage: ${PROGRAM_NAME} <command> [options]`,
    '',
    'Commands:',
    ...commands.flatMap(commandEntry),
    '',
    ...wrapText(
      `With no command, ${PROGRAM_NAME} runs "serve". "${PROGRAM_NAME} <command> --help" shows one command; ` +
        '--version, with any command, prints the version. Exit codes: 0 ok, 1 bad input, 2 usage.',
      USAGE_WIDTH,
    ),
    '',
  ].join('\n');
}

/** The usage of a group of subcommands (`config`): each of them, as in the full usage. */
export function formatGroupUsage(group: string, commands: readonly Command[]): string {
  const members = commands.filter((command) => command.path[0] === group);
  return [
    `Usage: ${PROGRAM_NAME} ${group} <subcommand> [options]`,
    '',
    'Subcommands:',
    ...members.flatMap(commandEntry),
    '',
  ].join('\n');
}

export function formatCommandUsage(command: Command): string {
  return [
    ...wrapText(`Usage: ${PROGRAM_NAME} ${commandLine(command)}`, USAGE_WIDTH, '', SYNOPSIS_HANGING_INDENT),
    '',
    ...wrapText(command.summary, USAGE_WIDTH),
    '',
  ].join('\n');
}

function commandEntry(command: Command): string[] {
  return [
    ...wrapText(commandLine(command), USAGE_WIDTH, COMMAND_INDENT, SYNOPSIS_HANGING_INDENT),
    ...wrapText(command.summary, USAGE_WIDTH, SUMMARY_INDENT),
  ];
}

function commandLine(command: Command): string {
  return [...command.path, command.synopsis].filter((part) => part !== '').join(' ');
}
