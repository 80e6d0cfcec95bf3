// Usage text, generated from the command table so it can never list a command that does not exist.

import type { Command } from './command.ts';

export const PROGRAM_NAME = 'datakit-operator';

export function formatUsage(commands: readonly Command[]): string {
  const rows = commands.map((command) => [commandLine(command), command.summary] as const);
  const width = Math.max(...rows.map(([line]) => line.length));
  return [
    `Usage: ${PROGRAM_NAME} <command> [options]`,
    '',
    'Commands:',
    ...rows.map(([line, summary]) => `  ${line.padEnd(width)}  ${summary}`),
    '',
    `With no command, ${PROGRAM_NAME} runs "serve". "${PROGRAM_NAME} <command> --help" shows one command.`,
    'Exit codes: 0 ok, 1 bad input, 2 usage.',
    '',
  ].join('\n');
}

export function formatCommandUsage(command: Command): string {
  return [`Usage: ${PROGRAM_NAME} ${commandLine(command)}`, '', command.summary, ''].join('\n');
}

function commandLine(command: Command): string {
  return [...command.path, command.synopsis].filter((part) => part !== '').join(' ');
}
