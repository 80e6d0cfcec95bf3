// How many bytes of request bodies the server holds while they arrive, over every connection and stream
// at once (SPEC §15). Each body is capped on its own (3 MiB for an AdmissionReview), but any pod can
// open connections and streams and send large bodies it never finishes: one client with two HTTP/2
// connections of 128 such streams each had the operator OOM-killed under the chart's 256 MiB limit within
// two seconds. A body that would take the total over the budget is refused (503) instead, so the cost
// of such a flood is refused requests, never the process.
//
// A complete body is given back as soon as it is complete: the endpoints parse it at once, before the
// server reads any other bytes, so what piles up is only what is still arriving.

export class BodyBudget {
  readonly #limitBytes: number;
  #heldBytes = 0;

  constructor(limitBytes: number) {
    if (!Number.isSafeInteger(limitBytes) || limitBytes <= 0) {
      throw new Error(`a body budget must be a positive whole number of bytes, not ${limitBytes}`);
    }
    this.#limitBytes = limitBytes;
  }

  get limitBytes(): number {
    return this.#limitBytes;
  }

  /** Bytes of bodies still arriving, held now. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Takes `bytes` from the budget; false (and nothing taken) when they do not fit. */
  tryTake(bytes: number): boolean {
    if (this.#heldBytes + bytes > this.#limitBytes) return false;
    this.#heldBytes += bytes;
    return true;
  }

  /** Gives back bytes taken earlier: the body they belong to is complete, refused or abandoned. */
  giveBack(bytes: number): void {
    this.#heldBytes = Math.max(0, this.#heldBytes - bytes);
  }
}
