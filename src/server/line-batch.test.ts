import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { LineBatch, type LineBatchOptions, type LineWriter } from './line-batch.ts';

/** Records what it is handed; `written(n)` plays the writer reporting n bytes on the descriptor. */
class RecordingWriter extends EventEmitter implements LineWriter {
  readonly texts: string[] = [];
  readonly calls: string[] = [];
  write(text: string): boolean {
    this.texts.push(text);
    return true;
  }
  flush(callback?: (error?: Error) => void): void {
    this.calls.push('flush');
    callback?.();
  }
  flushSync(): void {
    this.calls.push('flushSync');
  }
  end(): void {
    this.calls.push('end');
    setImmediate(() => this.emit('close'));
  }
  written(bytes: number): void {
    this.emit('write', bytes);
  }
}

const OPTIONS: LineBatchOptions = { batchBytes: 100, flushIntervalMs: 60_000, maxPendingBytes: 250 };

function line(index: number, width = 20): string {
  return `${String(index).padStart(width - 1, '0')}\n`;
}

async function withBatch(
  options: LineBatchOptions,
  run: (batch: LineBatch, writer: RecordingWriter) => void | Promise<void>,
): Promise<void> {
  const writer = new RecordingWriter();
  const batch = new LineBatch(writer, options);
  try {
    await run(batch, writer);
  } finally {
    await batch.end();
  }
}

describe('LineBatch', () => {
  it('hands lines over in order, joined, once a batch of bytes waits', () =>
    withBatch(OPTIONS, (batch, writer) => {
      for (let i = 0; i < 4; i += 1) batch.write(line(i));
      assert.deepEqual(writer.texts, [], 'four 20-byte lines are under the 100-byte batch');
      batch.write(line(4));
      assert.deepEqual(writer.texts, [[0, 1, 2, 3, 4].map((i) => line(i)).join('')]);
    }));

  it('hands a lone line over at the flush interval', () =>
    withBatch({ ...OPTIONS, flushIntervalMs: 5 }, async (batch, writer) => {
      batch.write(line(7));
      // A liveness bound, not a speed assertion.
      for (let waited = 0; writer.texts.length === 0 && waited < 10_000; waited += 5) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.deepEqual(writer.texts, [line(7)]);
    }));

  it('drops and counts each line past the pending bound, here and in the writer together', () =>
    withBatch(OPTIONS, (batch, writer) => {
      // Two batches of 5 lines (200 bytes) are with the writer and 2 lines wait here: 240 bytes.
      for (let i = 0; i < 12; i += 1) assert.equal(batch.write(line(i)), true, `line ${i}`);
      assert.equal(batch.write(line(12)), false, 'a 13th line would make 260 bytes');
      assert.equal(batch.droppedLines(), 1);
      writer.written(100);
      assert.equal(batch.write(line(13)), true, 'the writer wrote 100 bytes: room again');
      assert.equal(batch.droppedLines(), 1);
    }));

  it('measures the bound in UTF-8 bytes, not characters', () =>
    withBatch({ ...OPTIONS, maxPendingBytes: 30 }, (batch) => {
      assert.equal(batch.write('日本語日本語\n'), true, '19 bytes');
      assert.equal(batch.write('日本語日本語\n'), false, '38 bytes are over 30');
    }));

  it('flush and flushSync hand over what waits before the writer flushes', () =>
    withBatch(OPTIONS, (batch, writer) => {
      batch.write(line(1));
      batch.flush();
      batch.write(line(2));
      batch.flushSync();
      assert.deepEqual(writer.texts, [line(1), line(2)]);
      assert.deepEqual(writer.calls, ['flush', 'flushSync']);
    }));

  it('end hands over what waits, ends the writer and resolves once it closed', async () => {
    const writer = new RecordingWriter();
    const batch = new LineBatch(writer, OPTIONS);
    batch.write(line(3));
    await batch.end();
    assert.deepEqual(writer.texts, [line(3)]);
    assert.deepEqual(writer.calls, ['end']);
    await batch.end();
    assert.deepEqual(writer.calls, ['end'], 'a second end waits for the same close');
  });
});
