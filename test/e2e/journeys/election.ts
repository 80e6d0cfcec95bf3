// DataKit election (SPEC §10) with two operator replicas against the real API server's Leases: two more
// operator processes in a namespace of their own, and the simulated DataKit fleet of the election tier
// spread over them (each agent keeps to one operator, as a keep-alive connection through a Service does,
// and moves to the other when its operator dies). Central election: never two leaders, the Lease under
// its hashed name, failover within lease + interval, one winner out of 64 concurrent campaigns. Task
// election: every input on exactly one agent, the same answer from either replica, a stopped agent's
// inputs moving within 10 s + 3 polls, and a SIGKILLed replica costing at most one liveness window. Last,
// the scopes the central tests left behind are collected (their Leases deleted) once expired for 10 lease
// durations, while a Lease without our label stays.

import assert from 'node:assert/strict';
import { Agent } from 'node:https';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  CAMPAIGN_PATH,
  MANAGED_LABEL_KEY,
  MANAGED_LABEL_VALUE,
  STATUS_PATH,
  TASK_ELECTION_PATH,
  TASK_LIVENESS_MS,
} from '../../../src/election/constants.ts';
import { buildLeaseName } from '../../../src/election/lease-name.ts';
import { PUBLISH_INTERVAL_MS } from '../../../src/election/membership-kubernetes.ts';
import {
  operatorRequest,
  startCentralFleet,
  startTaskFleet,
  taskCoverage,
  type CentralAgent,
  type Fleet,
  type OperatorEndpoint,
  type TaskAgent,
} from '../../election/fleet.ts';
import { freePort, ROOT, type E2eEnvironment } from '../support/environment.ts';
import { buildOperatorConfigDocument } from '../support/operator-config.ts';
import { OperatorProcess } from '../support/operator-process.ts';
import { pollUntil } from '../support/wait.ts';
import type { Environment } from './shared.ts';

const LOOPBACK = '127.0.0.1';
// The shortest timing DataKit accepts (config validation refuses an interval under 3 s), with a local safe
// lease (lease - interval) longer than one interval so that heartbeats keep the leader leading.
const LEASE_SECONDS = 7;
const INTERVAL_SECONDS = 3;
/** SPEC §10.1: a scope expired for this many lease durations is forgotten; collection runs every 5 s. */
const COLLECT_AFTER_MS = (LEASE_SECONDS + 10 * LEASE_SECONDS) * 1000 + 2 * 5_000;
/** Named like ours but without our label: collection must leave it alone. */
const FOREIGN_LEASE = 'datakit-election-not-managed';
const FAILOVER_BOUND_MS = (LEASE_SECONDS + INTERVAL_SECONDS) * 1000;
/** Scheduling, TLS and API-server latency on a loaded 2-core machine, next to three node processes. */
const SLACK_MS = 3_000;
/** The watch caches list and sync shortly after start; the status probe says when. */
const READY_TIMEOUT_MS = 30_000;
/** A workspace secret: it must never reach the API server. */
const TOKEN = 'tkn_e2e_0123456789abcdef_secret';
const DATAKIT_NAMESPACE = 'e2e-fleet';
const CENTRAL_IDS = ['dk-1', 'dk-2', 'dk-3', 'dk-4', 'dk-5'];
const CONCURRENT_CAMPAIGNS = 64;
const TASK_IDS = ['dk-a', 'dk-b', 'dk-c', 'dk-d'];
const INPUTS = { kubernetes: 3, mysql: 2, kafka: 2, redis: 1, nginx: 1, etcd: 1 };
const POLL_MS = 1_000;
/** DataKit applies an answer once it came this many times in a row. */
const IDENTICAL_POLLS = 3;
const SAMPLE_MS = 10;
const TASK_SAMPLE_MS = 50;

interface ElectionOperator {
  readonly process: OperatorProcess;
  readonly endpoint: OperatorEndpoint;
}

interface LeaseObject {
  readonly metadata: {
    readonly name: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly spec?: { readonly holderIdentity?: string; readonly leaseTransitions?: number };
}

interface CentralContent {
  readonly status: string;
  readonly incumbency_id: string;
}

function leasesPath(namespace: string): string {
  return `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
}

/** An operator with only the election to do: its own ports, an ephemeral certificate, real Leases. */
async function startElectionOperator(
  e: E2eEnvironment,
  namespace: string,
  name: string,
): Promise<ElectionOperator> {
  const [mainPort, healthPort] = [await freePort(LOOPBACK), await freePort(LOOPBACK)];
  const configFile = join(e.workDir, `${name}.json`);
  const caOut = join(e.workDir, `${name}-ca.crt`);
  const document = {
    ...buildOperatorConfigDocument({
      serverListen: `${LOOPBACK}:${mainPort}`,
      healthListen: `${LOOPBACK}:${healthPort}`,
      namespace,
      tls: { mode: 'ephemeral' },
    }),
    election: {
      store: 'kubernetes',
      lease_duration_seconds: LEASE_SECONDS,
      interval_seconds: INTERVAL_SECONDS,
    },
  };
  await writeFile(configFile, JSON.stringify(document, null, 2));
  const label = `the election operator ${name}`;
  const process = await OperatorProcess.start({
    label,
    root: ROOT,
    kubeconfig: e.cluster.kubeconfig,
    configFile,
    caOut,
    healthPort,
  });
  e.onClose(`stop ${label}`, async () => void (await process.stop()));
  const ca = await readFile(caOut, 'utf8');
  return { process, endpoint: { baseUrl: `https://${LOOPBACK}:${mainPort}`, ca } };
}

function leaders(fleet: Fleet<CentralAgent>): CentralAgent[] {
  const now = performance.now();
  return fleet.live().filter((agent) => agent.isLeader(now));
}

function campaignPath(token: string, namespace: string, id: string): string {
  return `${CAMPAIGN_PATH}?${new URLSearchParams({ token, namespace, id })}`;
}

/** Every input on exactly one live agent. */
function converged(fleet: Fleet<TaskAgent>): boolean {
  const coverage = taskCoverage(fleet, INPUTS);
  return coverage.doubled.length === 0 && coverage.orphaned.length === 0;
}

function assignmentOf(fleet: Fleet<TaskAgent>): string {
  return JSON.stringify(fleet.live().map((agent) => [agent.id, agent.running]));
}

/** Longest stretch for which any one input ran on two agents at once, sampled. */
class DoubleAssignmentWatch {
  longestMs = 0;
  readonly #since = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly fleet: Fleet<TaskAgent>) {
    this.#timer = setInterval(() => this.sample(), TASK_SAMPLE_MS);
  }

  sample(): void {
    const now = performance.now();
    const doubled = new Set(taskCoverage(this.fleet, INPUTS).doubled);
    for (const input of doubled) if (!this.#since.has(input)) this.#since.set(input, now);
    for (const [input, since] of this.#since) {
      this.longestMs = Math.max(this.longestMs, now - since);
      if (!doubled.has(input)) this.#since.delete(input);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}

export function electionJourney(env: Environment): void {
  describe('DataKit election: two operator processes on real Leases', () => {
    let namespace = '';
    let operators: ElectionOperator[] = [];
    let taskFleet: Fleet<TaskAgent> | undefined;
    let doubleWatch: DoubleAssignmentWatch | undefined;
    /** When the central tests wrote their last Lease: collection is due 10 lease durations after expiry. */
    let centralDoneAt = 0;
    const endpoints = (): OperatorEndpoint[] => operators.map((operator) => operator.endpoint);

    before(async () => {
      const e = env();
      namespace = await e.namespace('election');
      operators = await Promise.all([
        startElectionOperator(e, namespace, 'election-a'),
        startElectionOperator(e, namespace, 'election-b'),
      ]);
      await e.client.create(leasesPath(namespace), {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: FOREIGN_LEASE, labels: { [MANAGED_LABEL_KEY]: 'false' } },
        spec: { holderIdentity: 'someone-else', leaseDurationSeconds: 1, leaseTransitions: 1 },
      });
    });

    after(async () => {
      doubleWatch?.stop();
      await taskFleet?.stop();
      await Promise.all(operators.map((operator) => operator.process.stop()));
      if (namespace !== '') await env().client.delete(`/api/v1/namespaces/${namespace}`);
    });

    it('both operators chose the Kubernetes store and report the election ready on GET /v1/dk-election/status', async () => {
      for (const operator of operators) {
        const started = operator.process.startLine();
        assert.equal(started?.['electionStore'], 'kubernetes', operator.process.describe());
        assert.equal(started?.['namespace'], namespace, 'the Leases live in the namespace of the config');
        const reply = await pollUntil(
          async () => {
            const answer = await operatorRequest(operator.endpoint, 'GET', STATUS_PATH);
            return answer.status === 200 ? answer : undefined;
          },
          { timeoutMs: READY_TIMEOUT_MS, what: `${operator.process.options.label} to be ready` },
        );
        assert.deepStrictEqual(JSON.parse(reply.body), { content: { status: 'ready' } });
      }
    });

    it('central: one leader at every sampled moment, held in the hashed Lease, and failover within lease + interval', async (t) => {
      const fleet = startCentralFleet(
        endpoints(),
        CENTRAL_IDS,
        { token: TOKEN, namespace: DATAKIT_NAMESPACE },
        INTERVAL_SECONDS,
        { routing: 'sticky' },
      );
      const usesSecond = fleet.agents.filter((agent) => agent.operatorUrl === endpoints()[1]!.baseUrl);
      assert.ok(usesSecond.length > 0 && usesSecond.length < CENTRAL_IDS.length, 'the fleet uses both');
      let mostLeaders = 0;
      const sampler = setInterval(() => {
        mostLeaders = Math.max(mostLeaders, leaders(fleet).length);
      }, SAMPLE_MS);
      try {
        await pollUntil(async () => (leaders(fleet).length === 1 ? true : undefined), {
          timeoutMs: FAILOVER_BOUND_MS + SLACK_MS,
          intervalMs: SAMPLE_MS,
          what: 'one leader',
        });
        await sleep(3 * INTERVAL_SECONDS * 1000);
        const [first, ...others] = leaders(fleet);
        assert.ok(first && others.length === 0, 'the leader keeps its lease by heartbeats');

        const leaseName = buildLeaseName(TOKEN, DATAKIT_NAMESPACE);
        const lease = await env().client.get<LeaseObject>(`${leasesPath(namespace)}/${leaseName}`);
        assert.equal(lease.metadata.labels?.[MANAGED_LABEL_KEY], MANAGED_LABEL_VALUE);
        assert.equal(lease.spec?.holderIdentity, first.id);
        assert.equal(lease.spec?.leaseTransitions, 1, 'the first holder has epoch 1');
        const managed = await env().client.list<LeaseObject>(
          leasesPath(namespace),
          `${MANAGED_LABEL_KEY}=${MANAGED_LABEL_VALUE}`,
        );
        assert.deepStrictEqual(
          managed.map((found) => found.metadata.name),
          [leaseName],
        );

        await first.stop();
        const stoppedAt = performance.now();
        await pollUntil(async () => (leaders(fleet).length === 1 ? true : undefined), {
          timeoutMs: FAILOVER_BOUND_MS + SLACK_MS,
          intervalMs: SAMPLE_MS,
          what: `a new leader after ${first.id} stopped`,
        });
        const failoverMs = performance.now() - stoppedAt;
        t.diagnostic(`failover from ${first.id} took ${Math.round(failoverMs)} ms`);
        const [second] = leaders(fleet);
        assert.notEqual(second!.id, first.id);
        await sleep(2 * INTERVAL_SECONDS * 1000);
        const taken = await env().client.get<LeaseObject>(`${leasesPath(namespace)}/${leaseName}`);
        assert.equal(taken.spec?.holderIdentity, second!.id);
        assert.equal(taken.spec?.leaseTransitions, 2, 'a takeover raises the epoch');
      } finally {
        clearInterval(sampler);
        await fleet.stop();
      }
      assert.equal(mostLeaders, 1, 'never two leaders at once');
    });

    it('central: the token appears in no Lease and in no log line of either operator', async () => {
      const leases = await env().client.list<LeaseObject>(leasesPath(namespace));
      assert.ok(leases.length > 0, 'the central election wrote a Lease');
      for (const lease of leases)
        assert.ok(!JSON.stringify(lease).includes(TOKEN), `Lease ${lease.metadata.name} holds the token`);
      for (const operator of operators) {
        const leaking = operator.process.entries.filter((entry) => JSON.stringify(entry).includes(TOKEN));
        assert.deepStrictEqual(leaking, [], `${operator.process.options.label} logged the token`);
      }
    });

    it(`central: ${CONCURRENT_CAMPAIGNS} concurrent campaigns over both operators elect exactly one`, async (t) => {
      const token = `${TOKEN}-race`;
      // Each DataKit holds its own keep-alive connection, opened at its status probe long before a race:
      // the race measures the operator's answer, not 64 TLS handshakes at once on a busy machine.
      const racers = Array.from({ length: CONCURRENT_CAMPAIGNS }, (_, index) => {
        const endpoint = endpoints()[index % endpoints().length]!;
        return { endpoint, agent: new Agent({ ca: endpoint.ca, keepAlive: true, maxSockets: 1 }) };
      });
      try {
        for (const racer of racers) {
          const probe = await operatorRequest(racer.endpoint, 'GET', STATUS_PATH, undefined, racer.agent);
          assert.equal(probe.status, 200, probe.body);
        }
        const latenciesMs: number[] = [];
        const replies = await Promise.all(
          racers.map(async (racer, index) => {
            const sentMs = performance.now();
            const reply = await operatorRequest(
              racer.endpoint,
              'POST',
              campaignPath(token, DATAKIT_NAMESPACE, `racer-${index}`),
              undefined,
              racer.agent,
            );
            latenciesMs.push(performance.now() - sentMs);
            return reply;
          }),
        );
        latenciesMs.sort((a, b) => a - b);
        t.diagnostic(
          `campaign answers: median ${Math.round(latenciesMs[latenciesMs.length >> 1]!)} ms, ` +
            `slowest ${Math.round(latenciesMs[latenciesMs.length - 1]!)} ms (DataKit gives up after 2 s)`,
        );
        await checkRace(replies, token);
      } finally {
        for (const racer of racers) racer.agent.destroy();
      }
    });

    async function checkRace(
      replies: readonly { status: number; body: string }[],
      token: string,
    ): Promise<void> {
      assert.deepStrictEqual(
        replies.map((reply) => reply.status),
        replies.map(() => 200),
      );
      const contents = replies.map(
        (reply) => (JSON.parse(reply.body) as { content: CentralContent }).content,
      );
      const winners = contents.flatMap((content, index) =>
        content.status === 'success' ? [`racer-${index}`] : [],
      );
      assert.equal(winners.length, 1, `winners: ${winners.join(', ')}`);
      assert.ok(
        contents.every((content) => content.status === 'success' || content.status === 'defeat'),
        JSON.stringify(contents.filter((content) => content.status === 'error')),
      );
      const lease = await env().client.get<LeaseObject>(
        `${leasesPath(namespace)}/${buildLeaseName(token, DATAKIT_NAMESPACE)}`,
      );
      assert.equal(lease.spec?.holderIdentity, winners[0]);
      centralDoneAt = performance.now();
    }

    it('task: every input on exactly one agent, the same answer from either operator, and a stopped agent’s inputs move within 10 s + 3 polls', async (t) => {
      const fleet = startTaskFleet(endpoints(), TASK_IDS, INPUTS, POLL_MS, DATAKIT_NAMESPACE, {
        routing: 'sticky',
      });
      taskFleet = fleet;
      doubleWatch = new DoubleAssignmentWatch(fleet);
      const convergeBoundMs = (IDENTICAL_POLLS + 1) * POLL_MS + PUBLISH_INTERVAL_MS + TASK_LIVENESS_MS;
      await waitForStableAssignment(fleet, convergeBoundMs + SLACK_MS, 'the first assignment');
      // Inputs stay where they run (SPEC §10.2), so an agent that polled late may rightly stay idle.
      t.diagnostic(`first assignment: ${assignmentOf(fleet)}`);

      for (const agent of fleet.live()) {
        const body = agent.pollBody();
        const answers = await Promise.all(
          endpoints().map(async (endpoint) => {
            const reply = await operatorRequest(endpoint, 'POST', TASK_ELECTION_PATH, body);
            assert.equal(reply.status, 200, reply.body);
            return [...(JSON.parse(reply.body) as { allowed_inputs: string[] }).allowed_inputs].sort();
          }),
        );
        assert.deepStrictEqual(answers, [agent.running, agent.running], `the answers for ${agent.id}`);
      }

      const victim = fleet.live().find((agent) => agent.running.length > 0)!;
      const moved = [...victim.running];
      await victim.stop();
      const stoppedAt = performance.now();
      const moveBoundMs = TASK_LIVENESS_MS + (IDENTICAL_POLLS + 1) * POLL_MS + PUBLISH_INTERVAL_MS;
      await pollUntil(async () => (converged(fleet) ? true : undefined), {
        timeoutMs: moveBoundMs + SLACK_MS,
        intervalMs: TASK_SAMPLE_MS,
        what: `the inputs ${moved.join(', ')} of ${victim.id} to move: ${assignmentOf(fleet)}`,
      });
      const tookMs = performance.now() - stoppedAt;
      t.diagnostic(`${moved.join(', ')} moved ${Math.round(tookMs)} ms after ${victim.id} stopped`);
      assert.ok(tookMs >= TASK_LIVENESS_MS - POLL_MS, 'nothing moves before the agent counts as gone');
    });

    it('task: a SIGKILLed operator: its agents move to the other, and no input runs twice for longer than one liveness window', async (t) => {
      const fleet = taskFleet;
      assert.ok(fleet && doubleWatch, 'the task fleet of the previous test runs');
      const [survivor, killed] = operators as [ElectionOperator, ElectionOperator];
      const orphans = fleet.live().filter((agent) => agent.operatorUrl === killed.endpoint.baseUrl);
      assert.ok(orphans.length > 0, 'some live agent uses the operator about to be killed');

      const pid = killed.process.pid;
      assert.ok(pid !== undefined);
      process.kill(pid, 'SIGKILL');
      const killedAt = performance.now();
      await pollUntil(async () => (killed.process.running ? undefined : true), {
        timeoutMs: 10_000,
        what: `${killed.process.options.label} to exit`,
      });
      await pollUntil(
        async () =>
          fleet.live().every((agent) => agent.operatorUrl === survivor.endpoint.baseUrl) ? true : undefined,
        {
          timeoutMs: 2 * POLL_MS + SLACK_MS,
          intervalMs: TASK_SAMPLE_MS,
          what: `${orphans.map((agent) => agent.id).join(', ')} to move to ${survivor.process.options.label}`,
        },
      );
      // Past the window in which the killed replica's published members still count, then converged again.
      await sleep(Math.max(0, TASK_LIVENESS_MS - (performance.now() - killedAt)));
      await waitForStableAssignment(
        fleet,
        (IDENTICAL_POLLS + 1) * POLL_MS + TASK_LIVENESS_MS + SLACK_MS,
        'the assignment after the failover',
      );
      doubleWatch.stop();
      t.diagnostic(`longest double assignment of one input: ${Math.round(doubleWatch.longestMs)} ms`);
      assert.ok(
        doubleWatch.longestMs < TASK_LIVENESS_MS,
        `an input ran on two agents for ${Math.round(doubleWatch.longestMs)} ms`,
      );
    });

    it('central: forgets expired scopes (their Leases deleted) and leaves a Lease without our label alone', async () => {
      assert.ok(centralDoneAt > 0, 'the central tests ran');
      const selector = `${MANAGED_LABEL_KEY}=${MANAGED_LABEL_VALUE}`;
      assert.ok((await env().client.list<LeaseObject>(leasesPath(namespace), selector)).length > 0);
      await pollUntil(
        async () =>
          (await env().client.list<LeaseObject>(leasesPath(namespace), selector)).length === 0
            ? true
            : undefined,
        {
          timeoutMs: Math.max(0, centralDoneAt + COLLECT_AFTER_MS - performance.now()) + SLACK_MS,
          intervalMs: 1_000,
          what: 'the expired central-election Leases to be deleted',
        },
      );
      const remaining = (await env().client.list<LeaseObject>(leasesPath(namespace))).map(
        (lease) => lease.metadata.name,
      );
      assert.ok(remaining.includes(FOREIGN_LEASE), `the unlabelled Lease is gone: ${remaining.join(', ')}`);
    });
  });
}

/**
 * Waits until every input runs on exactly one agent and the assignment stays so, unchanged, for as many
 * polls as DataKit needs to apply an answer (a moment of full coverage while agents still switch is not
 * convergence).
 */
async function waitForStableAssignment(
  fleet: Fleet<TaskAgent>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const remainingMs = deadline - performance.now();
    await pollUntil(async () => (converged(fleet) ? true : undefined), {
      timeoutMs: Math.max(0, remainingMs),
      intervalMs: TASK_SAMPLE_MS,
      what: `${what}: every input on exactly one agent (${assignmentOf(fleet)})`,
    });
    const settled = assignmentOf(fleet);
    let stable = true;
    for (let poll = 0; poll < IDENTICAL_POLLS && stable; poll++) {
      await sleep(POLL_MS);
      stable = converged(fleet) && assignmentOf(fleet) === settled;
    }
    if (stable) return;
    if (performance.now() > deadline)
      assert.fail(`${what} did not settle within ${timeoutMs} ms: ${assignmentOf(fleet)}`);
  }
}
