// Log lines collect here, as a list, and reach the writer (sonic-boom, which owns the file descriptor:
// partial writes, EAGAIN, EPIPE, the synchronous flush at exit) as one string per batch.
//
// Why not sonic-boom's own batching: it appends each line to one growing string and measures that
// string's UTF-8 length on every line, so a line costs as much as the batch waiting before it, and its
// batch must stay under its largest write (16 KiB). Each write goes through node's thread pool, about
// 65 µs of CPU here. Measured per admission line, pino's serialising included: about 7 µs with 8 KiB
// batches in sonic-boom, 4.7 µs with 64 KiB batches of joined lines, 2–4 µs with no writing at all.

/** What the batch hands its lines to: sonic-boom's surface, as far as it is used. */
export interface LineWriter {
  write(text: string): boolean;
  flush(callback?: (error?: Error) => void): void;
  flushSync(): void;
  end(): void;
  on(event: 'write', listener: (bytes: number) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

export interface LineBatchOptions {
  /** Lines are handed over once this many bytes wait (or at the next interval). */
  readonly batchBytes: number;
  readonly flushIntervalMs: number;
  /**
   * At most this many bytes wait, here and in the writer together; past it the newest lines are
   * dropped and counted (a log reader that stopped reading must not grow the process, SPEC §15).
   */
  readonly maxPendingBytes: number;
}

export class LineBatch {
  readonly #writer: LineWriter;
  readonly #options: LineBatchOptions;
  #lines: string[] = [];
  #batchBytes = 0;
  /** Handed to the writer and not yet reported written. */
  #writerBytes = 0;
  #dropped = 0;
  #closed: Promise<void> | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #onExit = (): void => this.#handOver();

  constructor(writer: LineWriter, options: LineBatchOptions) {
    this.#writer = writer;
    this.#options = options;
    writer.on('write', (bytes: number) => {
      this.#writerBytes = Math.max(0, this.#writerBytes - bytes);
    });
    this.#timer = setInterval(() => this.#handOver(), options.flushIntervalMs);
    this.#timer.unref();
    // Before the writer's own exit hook (pino's synchronous flush): what waits here goes with it.
    process.prependListener('exit', this.#onExit);
    writer.on('close', () => this.#stop());
  }

  /** pino's destination method: one serialised line, newline included. */
  write(line: string): boolean {
    const bytes = Buffer.byteLength(line);
    if (this.#batchBytes + this.#writerBytes + bytes > this.#options.maxPendingBytes) {
      this.#dropped += 1;
      return false;
    }
    this.#lines.push(line);
    this.#batchBytes += bytes;
    if (this.#batchBytes >= this.#options.batchBytes) this.#handOver();
    return true;
  }

  /** Lines dropped because `maxPendingBytes` were already waiting. */
  droppedLines(): number {
    return this.#dropped;
  }

  /** Everything waiting goes out now (asynchronously). */
  flush(callback?: (error?: Error) => void): void {
    this.#handOver();
    this.#writer.flush(callback);
  }

  /** pino calls this after a fatal line, and at exit. */
  flushSync(): void {
    this.#handOver();
    this.#writer.flushSync();
  }

  /** Writes what waits and closes the writer; resolves once it is closed (the same promise every call). */
  end(): Promise<void> {
    if (this.#closed === undefined) {
      this.#handOver();
      this.#stop();
      this.#closed = new Promise<void>((resolve) => this.#writer.once('close', resolve));
      this.#writer.end();
    }
    return this.#closed;
  }

  #handOver(): void {
    if (this.#lines.length === 0) return;
    const text = this.#lines.length === 1 ? (this.#lines[0] as string) : this.#lines.join('');
    this.#writerBytes += this.#batchBytes;
    this.#lines = [];
    this.#batchBytes = 0;
    this.#writer.write(text);
  }

  #stop(): void {
    clearInterval(this.#timer);
    process.removeListener('exit', this.#onExit);
  }
}
