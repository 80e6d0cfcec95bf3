// The task election under churn (SPEC §10.2), over random sequences of joins, leaves, rejoins, waits and
// operator restarts, against DataKit 1.84's own client loop (datakit-task-loop.ts: an answer runs after
// three equal answers, and an input that leaves the answer keeps running):
//   - no input ever runs on two live DataKits (a DataKit that leaves is stopped, so its inputs stop
//     with it; the liveness window only delays their move);
//   - whenever a DataKit is live, the operator assigns every input to a live DataKit, and once membership
//     has been quiet for a liveness window plus a few polls, every input runs somewhere;
//   - with two replicas that share membership, the same holds wherever each poll lands.
// And the incremental StickyAssignment always equals the rule written out plainly (sticky-reference.ts).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TASK_LIVENESS_MS } from '../../src/election/constants.ts';
import { StickyAssignment } from '../../src/election/sticky-assignment.ts';
import { TaskElection, type PeerMembership } from '../../src/election/task-election.ts';
import { DataKitTaskLoop } from '../election/datakit-task-loop.ts';
import { FakeClock } from '../election/fake-clock.ts';
import { resolveStickyAssignment } from '../election/sticky-reference.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const POLL_MS = 4_000;
const TICK_MS = 500;
const IDS = ['dk-a', 'dk-b', 'dk-c', 'dk-d', 'dk-e'];
/** Past this much quiet, every input has had time to move and be confirmed. */
const SETTLE_MS = TASK_LIVENESS_MS + 5 * POLL_MS;

type Command =
  | { readonly kind: 'join'; readonly id: number }
  | { readonly kind: 'leave'; readonly id: number }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'restart-operator' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('join' as const), id: fc.nat(IDS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), id: fc.nat(IDS.length - 1) }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 500, max: 30_000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart-operator' as const }) },
);

const inputs = fc
  .dictionary(
    fc.constantFrom('kubernetes', 'mysql', 'redis', 'nginx', 'kafka', 'etcd', 'postgres'),
    fc.integer({ min: 0, max: 5 }),
    { minKeys: 1 },
  )
  .map((record) => new Map(Object.entries(record)));

interface SimulatedDataKit {
  readonly id: string;
  loop: DataKitTaskLoop;
  nextPollMs: number;
}

/**
 * Replicas that see each other's members at once, as a watch does within a round-trip; the revision moves
 * with the clock too, as every replica republishes its members' ages every 2 s.
 */
function buildReplicas(clock: FakeClock, count: number): TaskElection[] {
  const replicas: TaskElection[] = [];
  let publications = 0;
  for (let index = 0; index < count; index++) {
    const peers: PeerMembership = {
      revision: () => `${publications}@${clock.monotonicMs()}`,
      peerMembers: () => replicas.filter((_, other) => other !== index).flatMap((r) => r.localMembers()),
    };
    replicas.push(new TaskElection({ clock, peers, onMembershipChange: () => publications++ }));
  }
  return replicas;
}

export function simulate(
  tasks: Map<string, number>,
  commands: readonly Command[],
  replicaCount: number,
  route: number[],
) {
  const clock = new FakeClock();
  let replicas = buildReplicas(clock, replicaCount);
  const alive = new Map<string, SimulatedDataKit>();
  let lastChangeMs = clock.monotonicMs();
  let polls = 0;

  const check = (): void => {
    const runners = new Map<string, string>();
    for (const datakit of alive.values()) {
      for (const input of datakit.loop.running) {
        const other = runners.get(input);
        assert.equal(
          other,
          undefined,
          `${input} runs on ${other} and ${datakit.id} at ${clock.monotonicMs()}`,
        );
        runners.set(input, datakit.id);
      }
    }
    if (alive.size > 0 && clock.monotonicMs() - lastChangeMs >= SETTLE_MS) {
      assert.deepEqual([...runners.keys()].sort(), [...tasks.keys()].sort(), 'every input runs somewhere');
    }
  };

  const advance = (ms: number): void => {
    for (let elapsed = 0; elapsed < ms; elapsed += TICK_MS) {
      clock.advance(TICK_MS);
      for (const datakit of alive.values()) {
        if (datakit.nextPollMs > clock.monotonicMs()) continue;
        datakit.nextPollMs += POLL_MS;
        const replica = replicas[route[polls++ % route.length]! % replicas.length]!;
        const answer = replica.poll({ namespace: '', id: datakit.id, tasks, running: datakit.loop.running });
        assert.equal(answer.kind, 'allowed');
        if (answer.kind === 'allowed') datakit.loop.receive(answer.inputs);
        if (process.env.TRACE)
          console.log(
            clock.monotonicMs(),
            datakit.id,
            'via',
            replicas.indexOf(replica),
            JSON.stringify(answer),
            'runs',
            datakit.loop.running.join(),
          );
        const assigned = replica.assignment();
        assert.deepEqual([...assigned.keys()].sort(), [...tasks.keys()].sort(), 'every input is assigned');
      }
      check();
    }
  };

  for (const step of commands) {
    if (step.kind === 'wait') advance(step.ms);
    else if (step.kind === 'restart-operator') replicas = buildReplicas(clock, replicaCount);
    else {
      const id = IDS[step.id]!;
      lastChangeMs = clock.monotonicMs();
      // A leave stops the DataKit (and its inputs); a join starts a fresh one, possibly under an old id.
      if (step.kind === 'leave') alive.delete(id);
      else if (!alive.has(id)) {
        alive.set(id, { id, loop: new DataKitTaskLoop(), nextPollMs: clock.monotonicMs() + TICK_MS });
      }
    }
  }
  advance(SETTLE_MS + POLL_MS);
}

describe('the task election against DataKit 1.84 under churn', () => {
  for (const replicaCount of [1, 2]) {
    it(`never runs an input on two live DataKits and runs every input once settled (${replicaCount} replica(s))`, () => {
      fc.assert(
        fc.property(
          inputs,
          fc.array(command, { minLength: 1, maxLength: 30 }),
          fc.array(fc.nat(7), { minLength: 1, maxLength: 8 }),
          (tasks, commands, route) => simulate(tasks, commands, replicaCount, route),
        ),
        { numRuns: RUNS },
      );
    });
  }
});

type Operation =
  | { readonly kind: 'join'; readonly id: number; readonly claims: readonly number[] }
  | { readonly kind: 'leave'; readonly id: number }
  | { readonly kind: 'claim'; readonly id: number; readonly claims: readonly number[] }
  | { readonly kind: 'confirm'; readonly id: number }
  | { readonly kind: 'weight'; readonly task: number; readonly weight: number };

const TASK_NAMES = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
const taskIndexes = fc.array(fc.nat(TASK_NAMES.length - 1), { maxLength: 4 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('join' as const), id: fc.nat(5), claims: taskIndexes }),
  fc.record({ kind: fc.constant('leave' as const), id: fc.nat(5) }),
  fc.record({ kind: fc.constant('claim' as const), id: fc.nat(5), claims: taskIndexes }),
  fc.record({ kind: fc.constant('confirm' as const), id: fc.nat(5) }),
  fc.record({
    kind: fc.constant('weight' as const),
    task: fc.nat(TASK_NAMES.length - 1),
    weight: fc.integer({ min: 0, max: 9 }),
  }),
);

describe('StickyAssignment', () => {
  it('always equals the sticky rule computed from scratch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: TASK_NAMES.length }),
        fc.array(operation, { maxLength: 40 }),
        (weights, operations) => {
          const tasks = new Map(weights.map((weight, index) => [TASK_NAMES[index]!, weight]));
          const shares = new StickyAssignment(tasks);
          const claims = new Map<string, Set<string>>();
          const names = (indexes: readonly number[]) => indexes.map((index) => TASK_NAMES[index]!);
          for (const step of operations) {
            const id = step.kind === 'weight' ? '' : `m${step.kind === 'leave' ? step.id : step.id}`;
            if (step.kind === 'join') {
              shares.join(id, names(step.claims));
              const known = claims.get(id) ?? new Set();
              for (const name of names(step.claims)) if (tasks.has(name)) known.add(name);
              claims.set(id, known);
            } else if (step.kind === 'leave') {
              shares.leave(id);
              claims.delete(id);
            } else if (step.kind === 'confirm') {
              // It confirms its whole answer: every input of its share becomes a claim.
              const answer = shares.shareOf(id);
              shares.claim(id, answer);
              const known = claims.get(id);
              if (known) for (const name of answer) known.add(name);
            } else if (step.kind === 'claim') {
              shares.claim(id, names(step.claims));
              const known = claims.get(id);
              if (known) for (const name of names(step.claims)) if (tasks.has(name)) known.add(name);
            } else {
              const name = TASK_NAMES[step.task]!;
              shares.raiseWeight(name, step.weight);
              const known = tasks.get(name);
              if (known !== undefined && step.weight > known) tasks.set(name, step.weight);
            }
            assert.deepEqual(
              Object.fromEntries([...shares.snapshot()].sort()),
              Object.fromEntries([...resolveStickyAssignment(tasks, claims)].sort()),
            );
          }
          const largest = Math.max(0, ...[...claims.keys()].map((member) => shares.shareOf(member).length));
          assert.equal(shares.largestShare(), largest);
        },
      ),
      { numRuns: RUNS * 4 },
    );
  });
});
