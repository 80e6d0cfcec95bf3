import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../test/election/fake-clock.ts';
import { NO_PEERS, TaskElection, type PeerMembership, type TaskElectionAnswer } from './task-election.ts';
import type { MemberView } from './task-members.ts';
import type { TaskElectionRequest } from './task-request.ts';

const INPUTS = { kubernetes: 3, mysql: 2, redis: 1, nginx: 1 };
const ALL = ['kubernetes', 'mysql', 'nginx', 'redis'];

function poll(
  id: string,
  inputs: Record<string, number> = INPUTS,
  running: string[] = [],
): TaskElectionRequest {
  return { namespace: '', id, tasks: new Map(Object.entries(inputs)), running };
}

function allowed(answer: TaskElectionAnswer): readonly string[] {
  assert.equal(answer.kind, 'allowed', answer.kind === 'refused' ? answer.message : '');
  return answer.kind === 'allowed' ? answer.inputs : [];
}

function build(clock: FakeClock, peers: PeerMembership = NO_PEERS) {
  let changes = 0;
  const election = new TaskElection({ clock, peers, onMembershipChange: () => changes++ });
  return { election, changes: () => changes };
}

/** Polls `id` three times: DataKit then runs the answer, and the operator counts it as running. */
function confirm(
  election: TaskElection,
  id: string,
  inputs: Record<string, number> = INPUTS,
): readonly string[] {
  let last: readonly string[] = [];
  for (let round = 0; round < 3; round++) last = allowed(election.poll(poll(id, inputs)));
  return last;
}

describe('TaskElection', () => {
  it('gives every input to the only DataKit', () => {
    const { election } = build(new FakeClock());
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), ALL);
  });

  it('spreads the inputs over DataKits that join before any answer is confirmed', () => {
    const { election } = build(new FakeClock());
    election.poll(poll('dk-a'));
    const b = allowed(election.poll(poll('dk-b')));
    const a = allowed(election.poll(poll('dk-a')));
    // kubernetes(3) → a; mysql(2) → b; nginx(1) → b (2 < 3); redis(1) → a (3 = 3, fewer tasks).
    assert.deepEqual(a, ['kubernetes', 'redis']);
    assert.deepEqual(b, ['mysql', 'nginx']);
  });

  it('leaves confirmed inputs where they run: a DataKit joining later gets none of them', () => {
    const { election } = build(new FakeClock());
    assert.deepEqual(confirm(election, 'dk-b'), ALL);
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), [], 'dk-a would run what dk-b keeps running');
    assert.deepEqual(allowed(election.poll(poll('dk-b'))), ALL);
  });

  it('places the inputs of a DataKit gone for 10 s onto the survivors, keeping what they run', () => {
    const clock = new FakeClock();
    const { election } = build(clock);
    election.poll(poll('dk-a'));
    election.poll(poll('dk-b'));
    election.poll(poll('dk-c'));
    for (const id of ['dk-a', 'dk-b', 'dk-c']) confirm(election, id);
    const before = new Map(['dk-a', 'dk-b', 'dk-c'].map((id) => [id, allowed(election.poll(poll(id)))]));
    clock.advance(6_000);
    election.poll(poll('dk-a'));
    election.poll(poll('dk-c'));
    clock.advance(3_999);
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), before.get('dk-a'), 'dk-b is live at 9.999 s');
    clock.advance(1);
    const a = allowed(election.poll(poll('dk-a')));
    const c = allowed(election.poll(poll('dk-c')));
    for (const kept of before.get('dk-a')!) assert.ok(a.includes(kept), `dk-a keeps ${kept}`);
    for (const kept of before.get('dk-c')!) assert.ok(c.includes(kept), `dk-c keeps ${kept}`);
    assert.deepEqual([...a, ...c].sort(), ALL);
  });

  it('does not hand back to a rejoining DataKit the inputs that moved while it was gone', () => {
    const clock = new FakeClock();
    const { election } = build(clock);
    confirm(election, 'dk-a');
    allowed(election.poll(poll('dk-b')));
    clock.advance(5_000);
    allowed(election.poll(poll('dk-b')));
    clock.advance(5_000);
    assert.deepEqual(confirm(election, 'dk-b'), ALL, 'dk-a is gone: dk-b runs everything');
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), []);
  });

  it('gives running_inputs back after an operator restart, the lowest id winning a tie', () => {
    const { election } = build(new FakeClock());
    election.poll(poll('dk-b', INPUTS, ['mysql', 'redis']));
    election.poll(poll('dk-a', INPUTS, ['redis', 'kubernetes']));
    const assignment = election.assignment();
    assert.deepEqual(
      ['kubernetes', 'mysql', 'redis'].map((name) => assignment.get(name)),
      ['dk-a', 'dk-b', 'dk-a'],
    );
  });

  it('ignores running_inputs that are not in the task set', () => {
    const { election } = build(new FakeClock());
    election.poll(poll('dk-a', INPUTS, ['postgres']));
    assert.deepEqual([...election.assignment().keys()].sort(), ALL);
  });

  it('refuses a different task set while another live DataKit reports the registered one', () => {
    const clock = new FakeClock();
    const { election } = build(clock);
    election.poll(poll('dk-a'));
    const answer = election.poll(poll('dk-b', { kubernetes: 3, postgres: 1 }));
    assert.equal(answer.kind, 'refused');
    if (answer.kind === 'refused') {
      assert.match(
        answer.message,
        /^Invalid election parameter: mismatched number of tasks, expect 4, got 2/,
      );
      assert.match(answer.message, /missing: mysql, nginx, redis; unregistered: postgres/);
    }
  });

  it('takes a DataKit that reports the registered names with other counts into the registered set, placing by the larger count', () => {
    const { election } = build(new FakeClock());
    election.poll(poll('dk-a'));
    // nginx counted 5 instead of 1: the same inputs, so the same set, never refused.
    allowed(election.poll(poll('dk-b', { ...INPUTS, nginx: 5 })));
    const a = allowed(election.poll(poll('dk-a')));
    const b = allowed(election.poll(poll('dk-b', { ...INPUTS, nginx: 5 })));
    // With nginx at 5: nginx → one DataKit, kubernetes(3) and mysql(2) → the other, redis(1) → the one
    // with nginx (5 = 5, fewer inputs). With nginx at 1 the shares would be kubernetes+redis, mysql+nginx.
    const shares = [a, b].map((share) => [...share].sort().join(','));
    assert.deepEqual(shares.sort(), ['kubernetes,mysql', 'nginx,redis']);
    // A DataKit reporting the first counts is in that same set too.
    assert.equal(election.poll(poll('dk-c')).kind, 'allowed');
  });

  it('lets a new task set replace the old one once no live DataKit reports the old one', () => {
    const clock = new FakeClock();
    const { election } = build(clock);
    election.poll(poll('dk-a'));
    assert.equal(election.poll(poll('dk-b', { postgres: 1 })).kind, 'refused');
    clock.advance(10_000);
    assert.deepEqual(allowed(election.poll(poll('dk-b', { postgres: 1 }))), ['postgres']);
    assert.equal(election.poll(poll('dk-a')).kind, 'refused', 'now the old set is the odd one out');
  });

  it('lets the only DataKit change its own task set at once', () => {
    const { election } = build(new FakeClock());
    election.poll(poll('dk-a'));
    assert.deepEqual(allowed(election.poll(poll('dk-a', { postgres: 1 }))), ['postgres']);
  });

  it('stops counting a refused DataKit as a runner of the registered inputs at once', () => {
    const { election } = build(new FakeClock());
    election.poll(poll('dk-a'));
    election.poll(poll('dk-b'));
    assert.equal(election.poll(poll('dk-b', { postgres: 1 })).kind, 'refused');
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), ALL);
  });

  it('answers a DataKit without election inputs with nothing and does not register it', () => {
    const { election, changes } = build(new FakeClock());
    assert.deepEqual(allowed(election.poll(poll('dk-empty', {}))), []);
    assert.equal(changes(), 0);
    assert.deepEqual(allowed(election.poll(poll('dk-a', { mysql: 1 }))), ['mysql']);
  });

  it('settles once every DataKit has polled: no answer changes after that, and every input runs three polls later', () => {
    // Partial confirmations used to re-place the other orphans: 10 DataKits x 100 inputs took 13 rounds.
    const clock = new FakeClock();
    const { election } = build(clock);
    const inputs = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`input-${i}`, 1 + (i % 5)]));
    const ids = Array.from({ length: 10 }, (_, i) => `dk-${i}`);
    const last = new Map<string, string>();
    // What each DataKit runs, as DataKit <= 1.84 decides it: the answer that came three times in a row.
    const repeats = new Map<string, number>();
    const runs = new Map<string, string>();
    const changedPerRound: number[] = [];
    const runningAfterRound: number[] = [];
    for (let round = 0; round < 8; round++) {
      let changed = 0;
      for (const id of ids) {
        const answer = allowed(election.poll(poll(id, inputs))).join(',');
        const same = last.get(id) === answer;
        if (!same) changed += 1;
        last.set(id, answer);
        repeats.set(id, same ? (repeats.get(id) ?? 0) + 1 : 1);
        if (repeats.get(id) === 3) runs.set(id, answer);
        clock.advance(400);
      }
      changedPerRound.push(changed);
      runningAfterRound.push([...runs.values()].flatMap((answer) => answer.split(',')).length);
    }
    assert.equal(runningAfterRound[3], 100, `inputs running after each round: ${runningAfterRound}`);
    assert.deepEqual(
      changedPerRound.slice(2),
      [0, 0, 0, 0, 0, 0],
      `answers changed per round: ${changedPerRound}`,
    );
    const shares = [...last.values()].map((answer) => answer.split(',').length);
    assert.deepEqual(shares, Array(10).fill(10), 'every DataKit runs 10 of the 100');
  });

  it('reports a change while answers are being confirmed, and none once the election is settled', () => {
    const { election, changes } = build(new FakeClock());
    confirm(election, 'dk-a');
    assert.equal(changes(), 3, 'a new member, then two more answers counted');
    election.poll(poll('dk-a'));
    election.poll(poll('dk-b'));
    assert.equal(changes(), 4, 'a settled poll changes nothing; a new member does');
    election.poll(poll('dk-b'));
    assert.equal(changes(), 4, 'dk-b is told nothing: nothing to count');
  });

  it('counts the members other replicas report, reading them only when they changed', () => {
    let reads = 0;
    let revision = 'r1';
    const elsewhere: MemberView = {
      id: 'dk-elsewhere',
      tasks: new Map(Object.entries(INPUTS)),
      ageMs: 2_000,
      answered: new Map(),
    };
    const peers: PeerMembership = {
      revision: () => revision,
      peerMembers: () => {
        reads += 1;
        return [elsewhere];
      },
    };
    const { election } = build(new FakeClock(), peers);
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), ['kubernetes', 'redis']);
    election.poll(poll('dk-a'));
    assert.equal(reads, 1);
    revision = 'r2';
    election.poll(poll('dk-a'));
    assert.equal(reads, 2);
  });

  it('takes the claims another replica publishes: an input it confirmed there stays there', () => {
    const peers: PeerMembership = {
      revision: () => 'r1',
      peerMembers: () => [
        {
          id: 'dk-z',
          tasks: new Map(Object.entries(INPUTS)),
          ageMs: 0,
          answered: new Map([['kubernetes', 3]]),
        },
      ],
    };
    const { election } = build(new FakeClock(), peers);
    assert.ok(!allowed(election.poll(poll('dk-a'))).includes('kubernetes'));
    assert.equal(election.assignment().get('kubernetes'), 'dk-z');
  });

  it('gives the same answer on two replicas that see the same members', () => {
    const clock = new FakeClock();
    const replicas: TaskElection[] = [];
    let publications = 0;
    for (const index of [0, 1]) {
      replicas.push(
        new TaskElection({
          clock,
          // Instant publication: every change is seen by the other replica at its next poll.
          peers: {
            revision: () => String(publications),
            peerMembers: () => replicas[1 - index]!.localMembers(),
          },
          onMembershipChange: () => publications++,
        }),
      );
    }
    const [first, second] = replicas as [TaskElection, TaskElection];
    const ids = ['dk-a', 'dk-b', 'dk-c'];
    ids.forEach((id, index) => (index % 2 === 0 ? first : second).poll(poll(id)));
    for (const id of ids) assert.deepEqual(allowed(first.poll(poll(id))), allowed(second.poll(poll(id))));
    const all = ids.flatMap((id) => allowed(first.poll(poll(id))));
    assert.deepEqual(all.sort(), ALL);
  });

  it('reports sizes for the metrics', () => {
    const { election } = build(new FakeClock());
    assert.deepEqual(election.sizes(), { members: 0, inputs: 0, largestShare: 0 });
    election.poll(poll('dk-a'));
    election.poll(poll('dk-b'));
    assert.deepEqual(election.sizes(), { members: 2, inputs: 4, largestShare: 2 });
  });
});
