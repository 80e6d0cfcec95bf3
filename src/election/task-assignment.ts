// Who runs which input in the task election (SPEC §10.2): a deterministic greedy balance. Tasks go
// heaviest first (ties by name), each onto the share that is lightest by (total weight, number of tasks,
// id). The result depends only on (task set, sorted live ids), so every replica computes the same answer
// and it changes only when the membership or the task set does.

import { compareText, sortedNames, type TaskSet } from './task-set.ts';

interface Share {
  readonly id: string;
  total: number;
  readonly tasks: string[];
}

/** Each live id → the inputs it runs, sorted by name. Every task goes to exactly one id. */
export function assignTasks(tasks: TaskSet, ids: readonly string[]): ReadonlyMap<string, readonly string[]> {
  const shares: Share[] = sortedNames(new Set(ids)).map((id) => ({ id, total: 0, tasks: [] }));
  const assignment = new Map<string, readonly string[]>();
  if (shares.length === 0) return assignment;

  const heaviestFirst = [...tasks.entries()].sort(([nameA, weightA], [nameB, weightB]) =>
    weightA !== weightB ? weightB - weightA : compareText(nameA, nameB),
  );
  for (const [name, weight] of heaviestFirst) {
    let lightest = shares[0]!;
    for (const share of shares) if (isLighter(share, lightest)) lightest = share;
    lightest.tasks.push(name);
    lightest.total += weight;
  }
  for (const share of shares) assignment.set(share.id, sortedNames(share.tasks));
  return assignment;
}

function isLighter(a: Share, b: Share): boolean {
  if (a.total !== b.total) return a.total < b.total;
  if (a.tasks.length !== b.tasks.length) return a.tasks.length < b.tasks.length;
  return compareText(a.id, b.id) < 0;
}
