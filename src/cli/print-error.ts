// How an OperatorError reaches a person on the terminal: the summary, then every problem on its own line.

import type { OperatorError } from '../errors/codes.ts';
import type { CliIo } from './command.ts';
import { PROGRAM_NAME } from './usage.ts';

export function printOperatorError(io: CliIo, error: OperatorError): void {
  const lines = [
    `${PROGRAM_NAME}: ${error.message} [${error.code}]`,
    ...error.details.map((d) => `  - ${d}`),
  ];
  io.stderr(lines.join('\n') + '\n');
}
