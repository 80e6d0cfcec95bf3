// The task election's coordinator (SPEC §10.2). Membership is this replica's own pollers plus what the
// other replicas publish (a PeerMembership); the answer is assignTasks(task set, sorted live ids), so two
// replicas with the same view give a DataKit the same answer.

import type { Clock } from './clock.ts';
import type { TaskElectionSizes } from './metrics.ts';
import { assignTasks } from './task-assignment.ts';
import { LocalTaskMembers, type MemberView } from './task-members.ts';
import type { TaskElectionRequest } from './task-request.ts';
import { describeTaskSetDifference, taskSetKey } from './task-set.ts';
import { mergeMembers, resolveRegisteredTaskSet, resolveWeights } from './task-view.ts';

export interface PeerMembership {
  /** Members the OTHER replicas report as live at `nowMs` (monotonic), with their ages. */
  peerMembers(nowMs: number): readonly MemberView[];
}

/** A single replica (the in-memory store): nobody else to hear from. */
export const NO_PEERS: PeerMembership = { peerMembers: () => [] };

export type TaskElectionAnswer =
  | { readonly kind: 'allowed'; readonly inputs: readonly string[] }
  | { readonly kind: 'refused'; readonly message: string };

export interface TaskElectionDeps {
  readonly clock: Clock;
  readonly peers: PeerMembership;
  /** Told when this replica's own membership changed, so it can be published at once. */
  readonly onMembershipChange: () => void;
}

export class TaskElection {
  readonly #deps: TaskElectionDeps;
  readonly #local = new LocalTaskMembers();

  constructor(deps: TaskElectionDeps) {
    this.#deps = deps;
  }

  poll(request: TaskElectionRequest): TaskElectionAnswer {
    // A DataKit without election inputs takes no part (upstream registers no set for it either).
    if (request.tasks.size === 0) return { kind: 'allowed', inputs: [] };
    const nowMs = this.#deps.clock.monotonicMs();
    const others = this.#liveMembers(nowMs);
    others.delete(request.id);

    const registered = resolveRegisteredTaskSet(others.values());
    const requestedKey = taskSetKey(request.tasks);
    if (registered !== undefined && registered.key !== requestedKey) {
      // It no longer runs the registered inputs: stop counting it as one of their runners at once.
      if (this.#local.remove(request.id)) this.#deps.onMembershipChange();
      return { kind: 'refused', message: describeTaskSetDifference(registered.tasks, request.tasks) };
    }

    if (this.#local.record(request.id, request.tasks, nowMs)) this.#deps.onMembershipChange();
    const members = [...others.values()].filter((member) => taskSetKey(member.tasks) === requestedKey);
    members.push({ id: request.id, tasks: request.tasks, ageMs: 0 });
    const assignment = assignTasks(
      resolveWeights(members),
      members.map((member) => member.id),
    );
    return { kind: 'allowed', inputs: assignment.get(request.id) ?? [] };
  }

  /** This replica's own live pollers, for publishing to the other replicas. */
  localMembers(): MemberView[] {
    return this.#local.live(this.#deps.clock.monotonicMs());
  }

  /** The current election as the metrics show it. */
  sizes(): TaskElectionSizes {
    const live = [...this.#liveMembers(this.#deps.clock.monotonicMs()).values()];
    const registered = resolveRegisteredTaskSet(live);
    if (registered === undefined) return { members: live.length, inputs: 0, largestShare: 0 };
    const members = live.filter((member) => taskSetKey(member.tasks) === registered.key);
    const assignment = assignTasks(
      resolveWeights(members),
      members.map((member) => member.id),
    );
    const largestShare = Math.max(0, ...[...assignment.values()].map((inputs) => inputs.length));
    return { members: live.length, inputs: registered.tasks.size, largestShare };
  }

  #liveMembers(nowMs: number): Map<string, MemberView> {
    return mergeMembers(this.#local.live(nowMs), this.#deps.peers.peerMembers(nowMs));
  }
}
