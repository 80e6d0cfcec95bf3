// A pino destination that keeps every line as an object, so that tests can assert on what was logged.

import type { DestinationStream } from 'pino';

export interface CapturedLog {
  readonly level: string;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export function captureLogs(): { readonly destination: DestinationStream; readonly lines: CapturedLog[] } {
  const lines: CapturedLog[] = [];
  return {
    lines,
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as CapturedLog);
      },
    },
  };
}
