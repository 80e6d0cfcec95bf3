// The DataKits that poll THIS replica in the task election, with when each last polled on this replica's
// monotonic clock. Other replicas learn about them through a MembershipExchange (task-election.ts).

import { TASK_LIVENESS_MS } from './constants.ts';
import { taskSetKey, type TaskSet } from './task-set.ts';

/** A live member as any replica sees it: how long ago it last polled, and the task set it reported. */
export interface MemberView {
  readonly id: string;
  readonly tasks: TaskSet;
  readonly ageMs: number;
}

interface LocalMember {
  readonly tasks: TaskSet;
  readonly key: string;
  lastSeenMs: number;
}

export class LocalTaskMembers {
  readonly #members = new Map<string, LocalMember>();

  /** True when the membership changed (a new member, or a member's task set changed). */
  record(id: string, tasks: TaskSet, nowMs: number): boolean {
    const key = taskSetKey(tasks);
    const known = this.#members.get(id);
    if (known !== undefined && known.key === key) {
      known.lastSeenMs = nowMs;
      return false;
    }
    this.#members.set(id, { tasks, key, lastSeenMs: nowMs });
    return true;
  }

  remove(id: string): boolean {
    return this.#members.delete(id);
  }

  /** Members that polled within the liveness window; the others are dropped. */
  live(nowMs: number): MemberView[] {
    const live: MemberView[] = [];
    for (const [id, member] of this.#members) {
      const ageMs = nowMs - member.lastSeenMs;
      if (ageMs >= TASK_LIVENESS_MS) this.#members.delete(id);
      else live.push({ id, tasks: member.tasks, ageMs });
    }
    return live;
  }
}
