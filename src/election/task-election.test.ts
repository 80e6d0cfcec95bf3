import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../test/election/fake-clock.ts';
import { NO_PEERS, TaskElection, type PeerMembership, type TaskElectionAnswer } from './task-election.ts';
import type { TaskElectionRequest } from './task-request.ts';

const INPUTS = { kubernetes: 3, mysql: 2, redis: 1, nginx: 1 };

function poll(id: string, inputs: Record<string, number> = INPUTS): TaskElectionRequest {
  return { namespace: '', id, tasks: new Map(Object.entries(inputs)) };
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

describe('TaskElection', () => {
  it('gives every input to the only DataKit', () => {
    const { election } = build(new FakeClock());
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), ['kubernetes', 'mysql', 'nginx', 'redis']);
  });

  it('splits the inputs between DataKits, each input to exactly one', () => {
    const { election } = build(new FakeClock());
    election.poll(poll('dk-a'));
    const b = allowed(election.poll(poll('dk-b')));
    const a = allowed(election.poll(poll('dk-a')));
    assert.deepEqual([...a, ...b].sort(), Object.keys(INPUTS).sort());
    // kubernetes(3) → a; mysql(2) → b; nginx(1) → b (2 < 3); redis(1) → a (3 = 3, fewer tasks).
    assert.deepEqual(a, ['kubernetes', 'redis']);
    assert.deepEqual(b, ['mysql', 'nginx']);
  });

  it('moves the inputs of a DataKit that stopped polling for 10 s', () => {
    const clock = new FakeClock();
    const { election } = build(clock);
    election.poll(poll('dk-a'));
    election.poll(poll('dk-b'));
    clock.advance(6_000);
    election.poll(poll('dk-a'));
    clock.advance(3_999);
    assert.deepEqual(
      allowed(election.poll(poll('dk-a'))),
      ['kubernetes', 'redis'],
      'dk-b is still live at 9.999 s',
    );
    clock.advance(1);
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), ['kubernetes', 'mysql', 'nginx', 'redis']);
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
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), ['kubernetes', 'mysql', 'nginx', 'redis']);
  });

  it('answers a DataKit without election inputs with nothing and does not register it', () => {
    const { election, changes } = build(new FakeClock());
    assert.deepEqual(allowed(election.poll(poll('dk-empty', {}))), []);
    assert.equal(changes(), 0);
    assert.deepEqual(allowed(election.poll(poll('dk-a', { mysql: 1 }))), ['mysql']);
  });

  it('reports a membership change for a new member or a new set, not for a repeated poll', () => {
    const { election, changes } = build(new FakeClock());
    election.poll(poll('dk-a'));
    election.poll(poll('dk-a'));
    election.poll(poll('dk-b'));
    assert.equal(changes(), 2);
  });

  it('counts the members other replicas report', () => {
    const clock = new FakeClock();
    const peers: PeerMembership = {
      peerMembers: () => [{ id: 'dk-elsewhere', tasks: new Map(Object.entries(INPUTS)), ageMs: 2_000 }],
    };
    const { election } = build(clock, peers);
    assert.deepEqual(allowed(election.poll(poll('dk-a'))), ['kubernetes', 'redis']);
  });

  it('gives the same answer on two replicas that see the same members', () => {
    const clock = new FakeClock();
    const replicas: TaskElection[] = [];
    for (const index of [0, 1]) {
      replicas.push(
        new TaskElection({
          clock,
          peers: { peerMembers: () => replicas[1 - index]!.localMembers() },
          onMembershipChange: () => {},
        }),
      );
    }
    const [first, second] = replicas as [TaskElection, TaskElection];
    const ids = ['dk-a', 'dk-b', 'dk-c'];
    ids.forEach((id, index) => (index % 2 === 0 ? first : second).poll(poll(id)));
    for (const id of ids) assert.deepEqual(allowed(first.poll(poll(id))), allowed(second.poll(poll(id))));
    const all = ids.flatMap((id) => allowed(first.poll(poll(id))));
    assert.deepEqual(all.sort(), Object.keys(INPUTS).sort());
  });

  it('reports sizes for the metrics', () => {
    const { election } = build(new FakeClock());
    assert.deepEqual(election.sizes(), { members: 0, inputs: 0, largestShare: 0 });
    election.poll(poll('dk-a'));
    election.poll(poll('dk-b'));
    assert.deepEqual(election.sizes(), { members: 2, inputs: 4, largestShare: 2 });
  });
});
