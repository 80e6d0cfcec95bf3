// Task-election polls per second, in process: the request body parsed and answered (no HTTP), for a fleet
// polling every 4 s of simulated time. Ours is the TaskElection; the baseline is the same rule computed
// from scratch on every poll over every member, which is what the operator did before (the cost the issue
// measured). Also the worst single poll (the worst event-loop block: a poll is synchronous) and the cost of
// one membership change: the DataKit holding the most inputs leaves.

import { TASK_LIVENESS_MS } from '../../src/election/constants.ts';
import { NO_PEERS, TaskElection } from '../../src/election/task-election.ts';
import { parseTaskElectionRequest } from '../../src/election/task-request.ts';
import { resolveStickyAssignment } from '../../test/election/sticky-reference.ts';
import { ManualClock } from './manual-clock.ts';

const POLL_INTERVAL_MS = 4_000;

export interface FleetShape {
  readonly name: string;
  readonly datakits: number;
  readonly inputs: number;
}

export interface PollFigures {
  readonly pollsPerSecond: number;
  readonly baselinePollsPerSecond: number;
  /** The longest poll of the settled fleet and of the rounds after the leave (the worst event-loop block). */
  readonly worstPollMs: number;
  /** The longest poll while the fleet joins and confirms its first answers (JIT warm-up and GC included). */
  readonly startPollMs: number;
  /** The first poll after the biggest holder left: its inputs are placed onto the others. */
  readonly leavePollMs: number;
  /** What a /metrics scrape reads from the election (three gauges). */
  readonly sizesUs: number;
  readonly polls: number;
}

function bodies(shape: FleetShape): string[] {
  const inputs = Object.fromEntries(
    Array.from({ length: shape.inputs }, (_, index) => [`input-${index}`, 1 + (index % 5)]),
  );
  return Array.from({ length: shape.datakits }, (_, index) =>
    JSON.stringify({
      namespace: 'bench',
      id: `dk-${String(index).padStart(5, '0')}`,
      timestamp: 0,
      application_inputs: inputs,
      running_inputs: [],
    }),
  );
}

/** Runs whole polling rounds until `budgetMs` of real time is used (at least `minRounds`). */
export function measurePolls(shape: FleetShape, budgetMs: number, minRounds: number): PollFigures {
  const clock = new ManualClock();
  const election = new TaskElection({ clock, peers: NO_PEERS, onMembershipChange: () => {} });
  const all = bodies(shape);
  const round = (fleet: readonly string[] = all): number => {
    let worst = 0;
    for (const body of fleet) {
      const started = performance.now();
      const parsed = parseTaskElectionRequest(body);
      if (parsed.ok) election.poll(parsed.value);
      worst = Math.max(worst, performance.now() - started);
      clock.advance(POLL_INTERVAL_MS / fleet.length);
    }
    return worst;
  };
  // Join and confirm (three answers), then measure the settled fleet.
  let startPollMs = 0;
  for (let warm = 0; warm < 4; warm++) startPollMs = Math.max(startPollMs, round());
  let worstPollMs = 0;
  let polls = 0;
  let rounds = 0;
  const started = performance.now();
  while (rounds < minRounds || performance.now() - started < budgetMs) {
    worstPollMs = Math.max(worstPollMs, round());
    polls += all.length;
    rounds += 1;
  }
  const pollsPerSecond = polls / ((performance.now() - started) / 1000);

  const scrapeStarted = performance.now();
  const scrapes = 1_000;
  for (let scrape = 0; scrape < scrapes; scrape++) election.sizes();
  const sizesUs = ((performance.now() - scrapeStarted) * 1000) / scrapes;

  // The biggest holder stops polling while the others go on: the first poll after its liveness window
  // places its inputs onto them. The worst poll of those rounds is that poll.
  const holders = new Map<string, number>();
  for (const holder of election.assignment().values()) holders.set(holder, (holders.get(holder) ?? 0) + 1);
  const biggest = [...holders].sort((a, b) => b[1] - a[1])[0]?.[0];
  const survivors = all.filter((body) => !body.includes(`"id":"${biggest}"`));
  let leavePollMs = 0;
  for (let elapsed = 0; elapsed <= TASK_LIVENESS_MS + POLL_INTERVAL_MS; elapsed += POLL_INTERVAL_MS)
    leavePollMs = Math.max(leavePollMs, round(survivors));
  const moved = [...election.assignment().values()].every((holder) => holder !== biggest);
  if (!moved) throw new Error(`the inputs of ${String(biggest)} did not move`);

  return {
    pollsPerSecond,
    baselinePollsPerSecond: measureBaseline(shape, all, budgetMs),
    worstPollMs: Math.max(worstPollMs, leavePollMs),
    startPollMs,
    leavePollMs,
    sizesUs,
    polls,
  };
}

/** Parse + the whole assignment from scratch over every member, per poll. */
function measureBaseline(shape: FleetShape, all: readonly string[], budgetMs: number): number {
  const claims = new Map<string, Set<string>>();
  for (const body of all) {
    const parsed = parseTaskElectionRequest(body);
    if (parsed.ok) claims.set(parsed.value.id, new Set());
  }
  let polls = 0;
  const started = performance.now();
  do {
    const parsed = parseTaskElectionRequest(all[polls % all.length]!);
    if (parsed.ok) resolveStickyAssignment(parsed.value.tasks, claims);
    polls += 1;
  } while (performance.now() - started < budgetMs && polls < shape.datakits * 4);
  return polls / ((performance.now() - started) / 1000);
}
