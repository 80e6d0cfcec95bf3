// The task election's coordinator (SPEC §10.2). Membership is this replica's own pollers plus what the
// other replicas publish (a PeerMembership); the answer comes from a StickyAssignment over the members
// that report the registered task set.
//
// What a DataKit runs is inferred from what it was told: DataKit <= 1.84 switches to an answer once the
// same answer came CONFIRMING_ANSWERS times in a row, so the inputs of an answer that many answers named
// may be running there and become its claims. Counting every answer that named an input, consecutive or
// not, errs on the safe side when an answer is lost on the way. An answer is confirmed whole, never in
// part: the DataKit switches to whole answers, and a part of an answer turning into claims would move the
// other orphans' placement, changing the other DataKits' answers with no change in membership (10
// DataKits started together with 100 inputs took 13 rounds of polls to settle that way). The inputs a
// DataKit lists in `running_inputs` are claims too: after an operator restart they are all there is to
// go by.

import type { Clock } from './clock.ts';
import { CONFIRMING_ANSWERS, TASK_LIVENESS_MS } from './constants.ts';
import type { TaskElectionSizes } from './metrics.ts';
import { StickyAssignment } from './sticky-assignment.ts';
import {
  claimsOf,
  MemberTable,
  type Member,
  type MemberView,
  type RegisteredTaskSet,
} from './task-members.ts';
import type { TaskElectionRequest } from './task-request.ts';
import { compareTaskSets, describeTaskSetDifference, taskSetKey, type TaskSet } from './task-set.ts';

export interface PeerMembership {
  /** Changes whenever what `peerMembers` reports may have changed (a new publication arrived). */
  revision(): string;
  /** Members the OTHER replicas report as live at `nowMs` (monotonic), with their ages. */
  peerMembers(nowMs: number): readonly MemberView[];
}

/** A single replica (the in-memory store): nobody else to hear from. */
export const NO_PEERS: PeerMembership = { revision: () => '', peerMembers: () => [] };

export type TaskElectionAnswer =
  | { readonly kind: 'allowed'; readonly inputs: readonly string[] }
  | { readonly kind: 'refused'; readonly message: string };

export interface TaskElectionDeps {
  readonly clock: Clock;
  readonly peers: PeerMembership;
  /** Told when this replica's own membership or a member's claims changed, so it can publish at once. */
  readonly onMembershipChange: () => void;
}

export class TaskElection {
  readonly #deps: TaskElectionDeps;
  readonly #members = new MemberTable();
  #assignment: { readonly key: string; readonly shares: StickyAssignment } | undefined;
  #peerRevision: string | undefined;

  constructor(deps: TaskElectionDeps) {
    this.#deps = deps;
  }

  poll(request: TaskElectionRequest): TaskElectionAnswer {
    // A DataKit without election inputs takes no part (upstream registers no set for it either).
    if (request.tasks.size === 0) return { kind: 'allowed', inputs: [] };
    const nowMs = this.#deps.clock.monotonicMs();
    this.#refresh(nowMs);

    let member = this.#members.get(request.id);
    // A known DataKit normally reports the same set again: checking that is O(inputs), sorting is not.
    const sameAsBefore = member === undefined ? 'different' : compareTaskSets(member.tasks, request.tasks);
    const registered = this.#members.registered(member);
    const key = this.#keyOf(request.tasks, member, sameAsBefore, registered);
    if (registered !== undefined && registered.key !== key) {
      // It no longer runs the registered inputs: stop counting it as one of their runners at once.
      if (member !== undefined) this.#remove(member.id);
      if (member?.localPollMs !== undefined) this.#deps.onMembershipChange();
      return { kind: 'refused', message: describeTaskSetDifference(registered.tasks, request.tasks) };
    }

    let changed = false;
    if (member === undefined || member.key !== key) {
      if (member !== undefined) this.#remove(member.id);
      member = this.#members.add(request.id, request.tasks, nowMs + TASK_LIVENESS_MS, new Map(), key);
      changed = true;
    } else {
      this.#members.extend(member, nowMs + TASK_LIVENESS_MS);
    }
    if (member.localPollMs === undefined) changed = true;
    member.localPollMs = nowMs;

    const shares = this.#sharesFor(member);
    if (sameAsBefore !== 'same') for (const [name, weight] of request.tasks) shares.raiseWeight(name, weight);
    if (this.#countRunning(member, request.running, shares)) changed = true;
    const inputs = shares.shareOf(member.id);
    // The same answer object as the settled one: every count is at its cap already, nothing to walk.
    if (inputs !== member.settledAnswer) {
      if (this.#countAnswer(member, inputs, shares)) changed = true;
      const counts = member.answered;
      if (inputs.every((name) => (counts.get(name) ?? 0) >= CONFIRMING_ANSWERS))
        member.settledAnswer = inputs;
    }
    if (changed) this.#deps.onMembershipChange();
    return { kind: 'allowed', inputs };
  }

  /**
   * The key of a polled or published set. A DataKit reports the same set as before, or, when it joins,
   * the set the others registered: checking either is O(inputs), sorting the names for a new key is not.
   */
  #keyOf(
    tasks: TaskSet,
    member: Member | undefined,
    sameAsBefore: ReturnType<typeof compareTaskSets>,
    registered: RegisteredTaskSet | undefined,
  ): string {
    if (member !== undefined && sameAsBefore !== 'different') return member.key;
    if (registered !== undefined && compareTaskSets(registered.tasks, tasks) !== 'different')
      return registered.key;
    return taskSetKey(tasks);
  }

  /** This replica's own live pollers, for publishing to the other replicas. */
  localMembers(): MemberView[] {
    return this.#members.local(this.#deps.clock.monotonicMs());
  }

  /** The current election as the metrics show it: maintained counts, nothing recomputed. */
  sizes(): TaskElectionSizes {
    this.#refresh(this.#deps.clock.monotonicMs());
    const shares = this.#assignment?.shares;
    return {
      members: this.#members.size,
      inputs: shares?.taskCount ?? 0,
      largestShare: shares?.largestShare() ?? 0,
    };
  }

  /** Input → the DataKit that runs it, as the next answers will say (O(inputs); for checks and tests). */
  assignment(): ReadonlyMap<string, string> {
    this.#refresh(this.#deps.clock.monotonicMs());
    this.#syncRegistered();
    return this.#assignment?.shares.snapshot() ?? new Map();
  }

  #refresh(nowMs: number): void {
    for (const gone of this.#members.expire(nowMs)) this.#assignment?.shares.leave(gone.id);
    const revision = this.#deps.peers.revision();
    if (revision === this.#peerRevision) return;
    this.#peerRevision = revision;
    for (const view of this.#deps.peers.peerMembers(nowMs)) this.#ingest(view, nowMs);
  }

  /** A member as another replica last saw it: the most recent poll anywhere wins. */
  #ingest(view: MemberView, nowMs: number): void {
    const deadlineMs = nowMs + TASK_LIVENESS_MS - view.ageMs;
    if (deadlineMs <= nowMs) return;
    let member = this.#members.get(view.id);
    const sameAsBefore = member === undefined ? 'different' : compareTaskSets(member.tasks, view.tasks);
    const key = this.#keyOf(view.tasks, member, sameAsBefore, this.#members.registered());
    if (member !== undefined && member.key !== key) {
      if (deadlineMs <= member.deadlineMs) return;
      this.#remove(member.id);
      member = undefined;
    }
    if (member === undefined) {
      member = this.#members.add(view.id, view.tasks, deadlineMs, view.answered, key);
    } else {
      this.#members.extend(member, deadlineMs);
      for (const [name, count] of view.answered)
        if (count > (member.answered.get(name) ?? 0)) member.answered.set(name, count);
    }
    const shares = this.#assignment;
    if (shares !== undefined && shares.key === member.key) shares.shares.join(member.id, claimsOf(member));
  }

  /** The assignment over the registered set, with `member` taking part when it reports that set. */
  #sharesFor(member: Member): StickyAssignment {
    const shares = this.#syncRegistered();
    if (!shares.has(member.id)) shares.join(member.id, claimsOf(member));
    return shares;
  }

  /** Rebuilds the assignment when the registered set changed: rare, O(members). */
  #syncRegistered(): StickyAssignment {
    const registered = this.#members.registered();
    if (registered === undefined) return new StickyAssignment(new Map());
    if (this.#assignment?.key === registered.key) return this.#assignment.shares;
    const shares = new StickyAssignment(registered.tasks);
    for (const member of this.#members.withKey(registered.key)) {
      shares.join(member.id, claimsOf(member));
      for (const [name, weight] of member.tasks) shares.raiseWeight(name, weight);
    }
    this.#assignment = { key: registered.key, shares };
    return shares;
  }

  /**
   * Counts an answer towards each input's confirmation; true when a count moved (the other replicas must
   * hear of it before the DataKit's next poll, which may reach them). The answer is confirmed when every
   * input in it was named by CONFIRMING_ANSWERS answers; until then no count reaches that number, so the
   * claims other replicas read from the counts (`claimsOf`) are whole answers too. Counts stop at
   * CONFIRMING_ANSWERS, so a settled election publishes nothing new.
   */
  #countAnswer(member: Member, inputs: readonly string[], shares: StickyAssignment): boolean {
    const counts = member.answered;
    let whole = true;
    for (const name of inputs) {
      if ((counts.get(name) ?? 0) < CONFIRMING_ANSWERS - 1) {
        whole = false;
        break;
      }
    }
    const cap = whole ? CONFIRMING_ANSWERS : CONFIRMING_ANSWERS - 1;
    let moved = false;
    const confirmed: string[] = [];
    for (const name of inputs) {
      const count = counts.get(name) ?? 0;
      if (count >= cap) continue;
      moved = true;
      counts.set(name, count + 1);
      if (count + 1 === CONFIRMING_ANSWERS) confirmed.push(name);
    }
    if (confirmed.length > 0) shares.claim(member.id, confirmed);
    return moved;
  }

  /** What a DataKit says it runs is a claim at once (the only source after an operator restart). */
  #countRunning(member: Member, running: readonly string[], shares: StickyAssignment): boolean {
    const claimed: string[] = [];
    for (const name of running) {
      if (!member.tasks.has(name) || (member.answered.get(name) ?? 0) >= CONFIRMING_ANSWERS) continue;
      member.answered.set(name, CONFIRMING_ANSWERS);
      claimed.push(name);
    }
    if (claimed.length === 0) return false;
    shares.claim(member.id, claimed);
    return true;
  }

  #remove(id: string): void {
    this.#members.remove(id);
    this.#assignment?.shares.leave(id);
  }
}
