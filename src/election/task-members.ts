// The live DataKits of the task election as THIS replica knows them: the ones that poll it and the ones
// other replicas publish. Each has a liveness deadline on this replica's monotonic clock; the table keeps
// them in a heap by deadline and counts members per task set, so that expiry and "which set is
// registered" cost O(what changed), never a scan of every DataKit.

import { CONFIRMING_ANSWERS, TASK_LIVENESS_MS } from './constants.ts';
import { IndexedHeap } from './indexed-heap.ts';
import { compareText, taskSetKey, type TaskSet } from './task-set.ts';

/** A live member as any replica publishes it: how long ago it last polled, its task set, its answers. */
export interface MemberView {
  readonly id: string;
  readonly tasks: TaskSet;
  readonly ageMs: number;
  /** Input → how many answers named it (capped at CONFIRMING_ANSWERS); absent inputs: none. */
  readonly answered: ReadonlyMap<string, number>;
}

export interface Member {
  readonly id: string;
  readonly tasks: TaskSet;
  readonly key: string;
  /** Monotonic ms from which it no longer counts as live. */
  deadlineMs: number;
  /** When it last polled this replica; undefined when only other replicas know it. */
  localPollMs: number | undefined;
  readonly answered: Map<string, number>;
  /** The last answer whose every input reached CONFIRMING_ANSWERS (so counting it again is a no-op). */
  settledAnswer: readonly string[] | undefined;
}

export interface RegisteredTaskSet {
  readonly key: string;
  readonly tasks: TaskSet;
}

export class MemberTable {
  readonly #members = new Map<string, Member>();
  readonly #byDeadline = new IndexedHeap<string>((a, b) => {
    const difference = this.#members.get(a)!.deadlineMs - this.#members.get(b)!.deadlineMs;
    return difference !== 0 ? difference : compareText(a, b);
  });
  /** Task-set key → its set and how many members report it. */
  readonly #sets = new Map<string, { readonly tasks: TaskSet; count: number }>();

  get size(): number {
    return this.#members.size;
  }

  get(id: string): Member | undefined {
    return this.#members.get(id);
  }

  /**
   * Adds a member (replacing one with another task set); its claims start from `answered`. `key` is
   * `taskSetKey(tasks)`, passed when the caller has it: it sorts every name.
   */
  add(
    id: string,
    tasks: TaskSet,
    deadlineMs: number,
    answered: ReadonlyMap<string, number>,
    key: string = taskSetKey(tasks),
  ): Member {
    this.remove(id);
    const member: Member = {
      id,
      tasks,
      key,
      deadlineMs,
      localPollMs: undefined,
      answered: new Map(answered),
      settledAnswer: undefined,
    };
    this.#members.set(id, member);
    this.#byDeadline.update(id);
    const set = this.#sets.get(member.key);
    if (set === undefined) this.#sets.set(member.key, { tasks, count: 1 });
    else set.count += 1;
    return member;
  }

  /** Moves the deadline later (never earlier: another replica may have seen a more recent poll). */
  extend(member: Member, deadlineMs: number): void {
    if (deadlineMs <= member.deadlineMs) return;
    member.deadlineMs = deadlineMs;
    this.#byDeadline.update(member.id);
  }

  remove(id: string): Member | undefined {
    const member = this.#members.get(id);
    if (member === undefined) return undefined;
    this.#members.delete(id);
    this.#byDeadline.delete(id);
    const set = this.#sets.get(member.key)!;
    set.count -= 1;
    if (set.count === 0) this.#sets.delete(member.key);
    return member;
  }

  /** Removes and returns every member whose deadline has passed, soonest first. */
  expire(nowMs: number): Member[] {
    const gone: Member[] = [];
    for (let id = this.#byDeadline.peek(); id !== undefined; id = this.#byDeadline.peek()) {
      if (this.#members.get(id)!.deadlineMs > nowMs) break;
      gone.push(this.remove(id)!);
    }
    return gone;
  }

  /**
   * The set the live members report, leaving out `except`. Normally they all agree (a differing set is
   * refused); while replicas catch up they may not, and then the set most members report wins, ties to
   * the smaller key, so every replica picks the same one. O(distinct sets).
   */
  registered(except?: Member): RegisteredTaskSet | undefined {
    let best: { key: string; tasks: TaskSet; count: number } | undefined;
    for (const [key, set] of this.#sets) {
      const count = set.count - (except?.key === key ? 1 : 0);
      if (count === 0) continue;
      if (
        best === undefined ||
        count > best.count ||
        (count === best.count && compareText(key, best.key) < 0)
      )
        best = { key, tasks: set.tasks, count };
    }
    return best === undefined ? undefined : { key: best.key, tasks: best.tasks };
  }

  /** Members reporting the set `key` (a rebuild after the registered set changed: O(members)). */
  *withKey(key: string): Iterable<Member> {
    for (const member of this.#members.values()) if (member.key === key) yield member;
  }

  /** Members that polled this replica within the liveness window, with their ages, for publishing. */
  local(nowMs: number): MemberView[] {
    const views: MemberView[] = [];
    for (const member of this.#members.values()) {
      if (member.localPollMs === undefined) continue;
      const ageMs = nowMs - member.localPollMs;
      if (ageMs < TASK_LIVENESS_MS)
        views.push({ id: member.id, tasks: member.tasks, ageMs, answered: member.answered });
    }
    return views;
  }
}

/** The inputs a member is taken to run: each named by CONFIRMING_ANSWERS answers (see task-election.ts). */
export function claimsOf(member: Member): string[] {
  const claims: string[] = [];
  for (const [name, count] of member.answered) if (count >= CONFIRMING_ANSWERS) claims.push(name);
  return claims;
}
