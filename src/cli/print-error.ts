// How a Problem reaches a person on the terminal: the message and its code, then every problem it sums up
// on its own line.

import type { Problem } from '../errors/problem.ts';
import type { CliIo } from './command.ts';
import { PROGRAM_NAME } from './usage.ts';

export function printProblem(io: CliIo, problem: Problem): void {
  const lines = [
    `${PROGRAM_NAME}: ${problem.message} [${problem.code}]`,
    ...(problem.problems ?? []).map((item) => `  - ${item.message}`),
  ];
  io.stderr(lines.join('\n') + '\n');
}
