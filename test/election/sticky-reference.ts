// The sticky-assignment rule of SPEC §10.2 written out plainly, from scratch and in O(members × inputs):
// the oracle that the incremental StickyAssignment is checked against.

import { compareText, type TaskSet } from '../../src/election/task-set.ts';

/** `claims`: every live member → the inputs it claims. Returns input → the member that runs it. */
export function resolveStickyAssignment(
  tasks: TaskSet,
  claims: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, string> {
  const ids = [...claims.keys()].sort(compareText);
  const assignment = new Map<string, string>();
  const shares = new Map(ids.map((id) => [id, { total: 0, count: 0 }]));
  const give = (name: string, id: string): void => {
    assignment.set(name, id);
    const share = shares.get(id)!;
    share.total += tasks.get(name)!;
    share.count += 1;
  };
  // The lowest id among a task's claimants holds it.
  for (const id of ids)
    for (const name of claims.get(id)!) if (tasks.has(name) && !assignment.has(name)) give(name, id);
  if (ids.length === 0) return assignment;
  const orphans = [...tasks.keys()]
    .filter((name) => !assignment.has(name))
    .sort((a, b) => (tasks.get(a)! !== tasks.get(b)! ? tasks.get(b)! - tasks.get(a)! : compareText(a, b)));
  for (const name of orphans) {
    let lightest = ids[0]!;
    for (const id of ids) {
      const share = shares.get(id)!;
      const best = shares.get(lightest)!;
      if (share.total < best.total || (share.total === best.total && share.count < best.count)) lightest = id;
    }
    give(name, lightest);
  }
  return assignment;
}
