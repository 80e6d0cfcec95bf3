// Who runs which input in the task election (SPEC §10.2), kept up to date one change at a time.
//
// DataKit <= 1.84 never pauses an input that leaves its `allowed_inputs`, so an input a live DataKit runs
// must stay with it: taking it away makes two DataKits run it for as long as both live. Hence:
//   - a CLAIM is an input a member (probably) runs; the lowest id among the live claimants holds it;
//   - every input nobody live claims is an ORPHAN, placed heaviest first (ties by name) onto the share
//     that is lightest by (total weight, number of inputs, id), counting claims and earlier placements.
// The result is a function of (task set, live members, their claims) only, so every replica that shares
// membership computes the same answer. Claims change only on a join, a leave or a DataKit confirming an
// answer, and each costs O(its inputs · log members); orphans are re-placed only when something changed.

import { IndexedHeap } from './indexed-heap.ts';
import { compareText, sortedNames, type TaskSet } from './task-set.ts';

interface Share {
  readonly id: string;
  /** Inputs this member holds through a claim. */
  readonly held: Set<string>;
  /** Inputs placed on it as orphans. */
  readonly placed: Set<string>;
  /** Every input it claims, held or not (a claim lost to a lower id comes back when that one leaves). */
  readonly claims: Set<string>;
  total: number;
  /** The answer, sorted, until held or placed changes: a settled DataKit's poll sorts nothing. */
  answer: string[] | undefined;
}

export class StickyAssignment {
  readonly #weights = new Map<string, number>();
  readonly #shares = new Map<string, Share>();
  /** Input → the live members that claim it. */
  readonly #claimants = new Map<string, Set<string>>();
  /** Input → its holder through a claim. */
  readonly #holders = new Map<string, string>();
  /** Inputs no live member claims; placed lazily, before the next answer. */
  readonly #orphans = new Set<string>();
  /** The orphans heaviest first, until the orphans or a weight change: joins re-place without sorting. */
  #orphanOrder: string[] | undefined;
  /** Orphan → the member it is placed on. */
  readonly #placements = new Map<string, string>();
  #placementStale = true;
  /** The shares themselves, not their ids: placing 20,000 orphans compares shares some 200,000 times. */
  readonly #lightest = new IndexedHeap<Share>(compareShares);
  /** Number of inputs → how many shares have that many (for the largest-share gauge without a scan). */
  readonly #sizeCounts = new Map<number, number>();
  #largest = 0;

  constructor(tasks: TaskSet) {
    for (const [name, weight] of tasks) {
      this.#weights.set(name, weight);
      this.#orphans.add(name);
    }
  }

  get taskCount(): number {
    return this.#weights.size;
  }

  /** The most inputs one member runs, after placing the orphans. */
  largestShare(): number {
    this.#placeOrphans();
    return this.#largest;
  }

  has(id: string): boolean {
    return this.#shares.has(id);
  }

  /** A live member that takes part; `claims` are the inputs it is known to run. */
  join(id: string, claims: Iterable<string> = []): void {
    if (!this.#shares.has(id)) {
      const share: Share = {
        id,
        held: new Set(),
        placed: new Set(),
        claims: new Set(),
        total: 0,
        answer: undefined,
      };
      this.#shares.set(id, share);
      this.#countSize(0, 1);
      this.#lightest.update(share);
      this.#placementStale = true;
    }
    this.claim(id, claims);
  }

  /** The member is gone: what it held goes to its next claimant, or becomes an orphan. */
  leave(id: string): void {
    const share = this.#shares.get(id);
    if (share === undefined) return;
    for (const name of share.placed) this.#placements.delete(name);
    for (const name of share.claims) {
      const claimants = this.#claimants.get(name)!;
      claimants.delete(id);
      if (claimants.size === 0) this.#claimants.delete(name);
      if (this.#holders.get(name) !== id) continue;
      this.#holders.delete(name);
      const next = claimants.size === 0 ? undefined : lowest(claimants);
      if (next === undefined) this.#addOrphan(name);
      else this.#hold(next, name);
    }
    this.#countSize(share.held.size + share.placed.size, -1);
    this.#shares.delete(id);
    this.#lightest.delete(share);
    this.#placementStale = true;
  }

  /** Inputs `id` now runs (it confirmed an answer, or reported them after an operator restart). */
  claim(id: string, names: Iterable<string>): void {
    const share = this.#shares.get(id);
    if (share === undefined) return;
    const fresh = [...names];
    this.#adoptPlacements(share, fresh);
    for (const name of fresh) {
      if (!this.#weights.has(name) || share.claims.has(name)) continue;
      share.claims.add(name);
      let claimants = this.#claimants.get(name);
      if (claimants === undefined) this.#claimants.set(name, (claimants = new Set()));
      claimants.add(id);
      const holder = this.#holders.get(name);
      if (holder !== undefined && compareText(holder, id) <= 0) continue;
      if (holder !== undefined) this.#release(holder, name);
      if (this.#orphans.delete(name)) this.#orphanOrder = undefined;
      this.#hold(id, name);
    }
  }

  /**
   * A member confirming every input placed on it (the usual case: it confirms its whole answer) changes
   * no other placement: each other orphan went to a share lighter than this one, and this one only got
   * heavier. So they become held in place, without re-placing every orphan (O(its inputs), not O(orphans)).
   */
  #adoptPlacements(share: Share, names: readonly string[]): void {
    if (this.#placementStale || share.placed.size === 0 || names.length < share.placed.size) return;
    const claimed = new Set(names);
    for (const name of share.placed) if (!claimed.has(name)) return;
    for (const name of share.placed) {
      this.#placements.delete(name);
      this.#orphans.delete(name);
      this.#holders.set(name, share.id);
      share.claims.add(name);
      share.held.add(name);
      this.#claimants.set(name, new Set([share.id]));
    }
    share.placed.clear();
    this.#orphanOrder = undefined;
  }

  /** A member reports a larger count for an input than known: its weight follows (the largest wins). */
  raiseWeight(name: string, weight: number): void {
    const known = this.#weights.get(name);
    if (known === undefined || weight <= known) return;
    const placedOn = this.#placements.get(name);
    if (placedOn !== undefined) {
      this.#unplace(placedOn, name);
      this.#placements.delete(name);
    }
    this.#weights.set(name, weight);
    if (this.#orphans.has(name)) this.#orphanOrder = undefined;
    const holder = this.#holders.get(name);
    if (holder !== undefined) this.#addWeight(this.#shares.get(holder)!, weight - known);
    this.#placementStale = true;
  }

  /** The inputs `id` runs, sorted by name; empty for a member that takes no part. */
  shareOf(id: string): readonly string[] {
    this.#placeOrphans();
    const share = this.#shares.get(id);
    if (share === undefined) return [];
    share.answer ??= sortedNames([...share.held, ...share.placed]);
    return share.answer;
  }

  /** Input → holder, after placing the orphans (for tests and invariant checks; O(inputs)). */
  snapshot(): Map<string, string> {
    this.#placeOrphans();
    return new Map([...this.#holders, ...this.#placements]);
  }

  #placeOrphans(): void {
    if (!this.#placementStale) return;
    this.#placementStale = false;
    // Undo every placement share by share: one heap update per share, not one per input.
    for (const share of this.#shares.values()) {
      if (share.placed.size === 0) continue;
      let weight = 0;
      for (const name of share.placed) weight += this.#weights.get(name)!;
      this.#moveSize(share.held.size + share.placed.size, share.held.size);
      share.placed.clear();
      this.#addWeight(share, -weight);
    }
    this.#placements.clear();
    if (this.#shares.size === 0 || this.#orphans.size === 0) return;
    this.#orphanOrder ??= [...this.#orphans].sort((a, b) => {
      const weightA = this.#weights.get(a)!;
      const weightB = this.#weights.get(b)!;
      return weightA !== weightB ? weightB - weightA : compareText(a, b);
    });
    // The size counts follow once per share at the end: only largestShare reads them.
    const sizesBefore = new Map<Share, number>();
    for (const name of this.#orphanOrder) {
      const share = this.#lightest.peek()!;
      if (!sizesBefore.has(share)) sizesBefore.set(share, share.held.size + share.placed.size);
      share.placed.add(name);
      this.#placements.set(name, share.id);
      this.#addWeight(share, this.#weights.get(name)!);
    }
    for (const [share, before] of sizesBefore) this.#moveSize(before, share.held.size + share.placed.size);
  }

  #addOrphan(name: string): void {
    this.#orphans.add(name);
    this.#orphanOrder = undefined;
  }

  #unplace(id: string, name: string): void {
    const share = this.#shares.get(id);
    if (share === undefined || !share.placed.delete(name)) return;
    this.#moveSize(share.held.size + share.placed.size + 1, share.held.size + share.placed.size);
    this.#addWeight(share, -this.#weights.get(name)!);
  }

  #hold(id: string, name: string): void {
    const share = this.#shares.get(id)!;
    this.#holders.set(name, id);
    share.held.add(name);
    this.#moveSize(share.held.size + share.placed.size - 1, share.held.size + share.placed.size);
    this.#addWeight(share, this.#weights.get(name)!);
    this.#placementStale = true;
  }

  #release(id: string, name: string): void {
    const share = this.#shares.get(id)!;
    share.held.delete(name);
    this.#moveSize(share.held.size + share.placed.size + 1, share.held.size + share.placed.size);
    this.#addWeight(share, -this.#weights.get(name)!);
  }

  /** Every change to a share's inputs goes through here (with a delta of 0 when weights are all 0). */
  #addWeight(share: Share, delta: number): void {
    share.total += delta;
    share.answer = undefined;
    this.#lightest.update(share);
  }

  /** One share went from `from` inputs to `to` (adding first, so the largest drops by one step at most). */
  #moveSize(from: number, to: number): void {
    this.#countSize(to, 1);
    this.#countSize(from, -1);
  }

  #countSize(size: number, delta: 1 | -1): void {
    const count = (this.#sizeCounts.get(size) ?? 0) + delta;
    if (count === 0) this.#sizeCounts.delete(size);
    else this.#sizeCounts.set(size, count);
    if (delta > 0 && size > this.#largest) this.#largest = size;
    // Only a leaving share drops it further than one step, by at most the inputs that share had.
    while (this.#largest > 0 && !this.#sizeCounts.has(this.#largest)) this.#largest -= 1;
  }
}

/** Lightest first: by total weight, then number of inputs, then id. */
function compareShares(a: Share, b: Share): number {
  if (a.total !== b.total) return a.total - b.total;
  const sizeA = a.held.size + a.placed.size;
  const sizeB = b.held.size + b.placed.size;
  if (sizeA !== sizeB) return sizeA - sizeB;
  return compareText(a.id, b.id);
}

function lowest(ids: Iterable<string>): string | undefined {
  let found: string | undefined;
  for (const id of ids) if (found === undefined || compareText(id, found) < 0) found = id;
  return found;
}
