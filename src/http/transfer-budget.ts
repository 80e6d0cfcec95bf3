// How many bytes the main listener holds for its clients at once, over every connection and stream
// (SPEC §15): request bodies while they arrive, and answers until the client has taken them. Each body is
// capped on its own (3 MiB for an AdmissionReview) and so is each answer (the 1 MiB patch), but any pod
// can open connections and streams. Measured under the chart's 256 MiB memory limit, the operator was
// OOM-killed within two seconds by one client with two HTTP/2 connections whose 128 streams each sent an
// unfinished 3 MiB body, by 300 HTTP/1.1 connections doing the same, and within four seconds by eight
// HTTP/2 connections that sent 100-container pods and never read the answers. What does not fit in the
// budget is refused (503) instead, so the cost of such a flood is refused requests, never the process.
//
// A complete body is given back as soon as it is complete: the endpoints parse it at once, before the
// server reads any other bytes, so what piles up is only what is still arriving. An answer is given back
// once it is written, or at its deadline.

import type { HttpResponse } from './http-types.ts';

/**
 * An answer waiting for its client costs up to three times its length: the text, node's copy of it in a
 * Buffer (measured: 106 MB of external memory while 63 MB of answers waited) and nghttp2's queued DATA.
 * So it takes three times its length from the budget, which then bounds memory, not text. (An admission
 * answer with a patch is sent as a Buffer, admission/review-text.ts, and costs less: the bound holds.)
 */
export const ANSWER_MEMORY_FACTOR = 3;

/** How often answers are checked against their write deadline. */
const SWEEP_INTERVAL_MS = 1_000;

interface HeldAnswer {
  readonly response: HttpResponse;
  readonly bytes: number;
  readonly since: number;
}

export class TransferBudget {
  readonly #limitBytes: number;
  readonly #answerDeadlineMs: number;
  #heldBytes = 0;
  readonly #answers = new Set<HeldAnswer>();
  #sweep: NodeJS.Timeout | undefined;

  /**
   * `answerDeadlineMs`: an answer its client has not taken within this is cut (the connection or the
   * stream), so that a client that never reads cannot keep its bytes.
   */
  constructor(limitBytes: number, answerDeadlineMs: number) {
    if (!Number.isSafeInteger(limitBytes) || limitBytes <= 0) {
      throw new Error(`a transfer budget must be a positive whole number of bytes, not ${limitBytes}`);
    }
    this.#limitBytes = limitBytes;
    this.#answerDeadlineMs = answerDeadlineMs;
  }

  get limitBytes(): number {
    return this.#limitBytes;
  }

  /** Bytes held now: bodies still arriving and answers not yet written. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Takes `bytes` from the budget; false (and nothing taken) when they do not fit. */
  tryTake(bytes: number): boolean {
    if (this.#heldBytes + bytes > this.#limitBytes) return false;
    this.#heldBytes += bytes;
    return true;
  }

  /** Gives back bytes taken earlier: their body is complete or abandoned, their answer written or dropped. */
  giveBack(bytes: number): void {
    this.#heldBytes = Math.max(0, this.#heldBytes - bytes);
  }

  /**
   * Takes `length` bytes (times ANSWER_MEMORY_FACTOR) for the answer `send` writes to `response`, and
   * holds them until it is written ('finish') or its deadline passes (it is then cut, if its client is
   * still there). False, with nothing taken or sent, when they do not fit. Only for a response nothing
   * was written to yet.
   */
  tryHoldAnswer(response: HttpResponse, length: number, send: () => void): boolean {
    const bytes = length * ANSWER_MEMORY_FACTOR;
    if (!this.tryTake(bytes)) return false;
    send();
    const held: HeldAnswer = { response, bytes, since: performance.now() };
    this.#answers.add(held);
    // 'finish' only: a 'close' listener as well cost 10 µs per HTTP/1.1 admission (bench, java pod, 32
    // connections). An answer whose client left never finishes; the sweep gives its bytes back at the
    // deadline, as it does for one that is never read.
    response.once('finish', () => this.#release(held));
    this.#sweep ??= setInterval(() => this.#cutLateAnswers(), SWEEP_INTERVAL_MS).unref();
    return true;
  }

  /** Answers still held (written to a client that has not taken them yet). */
  get heldAnswers(): number {
    return this.#answers.size;
  }

  #release(held: HeldAnswer): void {
    if (this.#answers.delete(held)) this.giveBack(held.bytes);
  }

  #cutLateAnswers(): void {
    const now = performance.now();
    for (const held of this.#answers) {
      if (now - held.since < this.#answerDeadlineMs) continue;
      this.#release(held);
      held.response.destroy();
    }
    if (this.#answers.size === 0 && this.#sweep !== undefined) {
      clearInterval(this.#sweep);
      this.#sweep = undefined;
    }
  }
}
