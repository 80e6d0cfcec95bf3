// The shape of a CLI command: one row per command in commands.ts, each in its own file. The parser and
// the usage text are derived from these rows, so adding a command (`inject`, `explain`) is adding a row.

import type { ParseArgsConfig } from 'node:util';

/** SPEC §13: 0 ok, 1 bad input (a message names the document and the field), 2 usage. */
export const ExitCode = { OK: 0, BAD_INPUT: 1, USAGE: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type OptionValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

export interface CommandArguments {
  readonly values: OptionValues;
  /** The positionals, in the order `positionals` names them. */
  readonly positionals: readonly string[];
}

export interface Command {
  /** The words that select the command: `['serve']`, `['config', 'validate']`. */
  readonly path: readonly string[];
  /** Options and positionals as shown in usage, e.g. `FILE` or `[--config FILE]`. */
  readonly synopsis: string;
  readonly summary: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Names of the required positionals, in order; no others are accepted. */
  readonly positionals: readonly string[];
  run(args: CommandArguments, io: CliIo): Promise<ExitCode>;
}

/** A string option's value, or undefined when it was not given. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
