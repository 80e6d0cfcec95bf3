// What the offline commands need beyond the common CLI io: standard input, for `-f -`. It is optional
// so that the command table (which passes a plain CliIo) can run them too; then the process's own stdin
// is read.

import type { CliIo } from './command.ts';

export interface OfflineCliIo extends CliIo {
  readonly stdin?: NodeJS.ReadableStream;
}

function isReadable(value: unknown): value is NodeJS.ReadableStream {
  return typeof value === 'object' && value !== null && typeof (value as { on?: unknown }).on === 'function';
}

export function stdinOf(io: CliIo): NodeJS.ReadableStream {
  const given = 'stdin' in io ? io.stdin : undefined;
  return isReadable(given) ? given : process.stdin;
}

export async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
