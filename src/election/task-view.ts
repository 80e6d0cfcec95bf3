// Pure helpers that turn members (from this replica and from the others) into the election's inputs: one
// entry per DataKit, the registered task set, and the weights to balance with.

import { compareText, taskSetKey, type TaskSet } from './task-set.ts';
import type { MemberView } from './task-members.ts';

/** One view per id; when replicas disagree about a DataKit, its most recent poll wins. */
export function mergeMembers(...sources: readonly (readonly MemberView[])[]): Map<string, MemberView> {
  const merged = new Map<string, MemberView>();
  for (const source of sources) {
    for (const member of source) {
      const known = merged.get(member.id);
      if (known === undefined || member.ageMs < known.ageMs) merged.set(member.id, member);
    }
  }
  return merged;
}

export interface RegisteredTaskSet {
  readonly key: string;
  readonly tasks: TaskSet;
}

/**
 * The set the live members report. Normally they all agree (a differing set is refused); while replicas
 * catch up with each other they may not, and then the set most members report wins, ties to the smaller
 * key, so every replica picks the same one.
 */
export function resolveRegisteredTaskSet(members: Iterable<MemberView>): RegisteredTaskSet | undefined {
  const bySet = new Map<string, { tasks: TaskSet; count: number }>();
  for (const member of members) {
    const key = taskSetKey(member.tasks);
    const entry = bySet.get(key);
    if (entry === undefined) bySet.set(key, { tasks: member.tasks, count: 1 });
    else entry.count += 1;
  }
  let best: (RegisteredTaskSet & { count: number }) | undefined;
  for (const [key, { tasks, count }] of bySet) {
    if (
      best === undefined ||
      count > best.count ||
      (count === best.count && compareText(key, best.key) < 0)
    ) {
      best = { key, tasks, count };
    }
  }
  return best === undefined ? undefined : { key: best.key, tasks: best.tasks };
}

/** Each task's weight: the largest count any member reports for it (normally they all report the same). */
export function resolveWeights(members: Iterable<MemberView>): TaskSet {
  const weights = new Map<string, number>();
  for (const member of members) {
    for (const [name, weight] of member.tasks) weights.set(name, Math.max(weights.get(name) ?? 0, weight));
  }
  return weights;
}
