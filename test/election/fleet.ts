// A simulated DataKit fleet that follows DataKit's own election loops, against any operator base URLs
// (in-process servers here; real operator processes beside a real API server in the e2e tier).
//
// Central mode (DataKit >= 2.12): every interval a follower campaigns and the leader heartbeats; a leader
// keeps collecting until its last success + lease - interval (DataKit's local safe lease), so an operator
// outage alone never makes two leaders. Task mode (DataKit 1.7 - 1.84): every poll interval each agent
// posts its inputs and runs the answer once the same answer came three times in a row, never pausing an
// input that later leaves the answer (datakit-task-loop.ts).
//
// Routing over the base URLs: 'per-request' rotates per request, like a Service without session affinity;
// 'sticky' keeps each agent on one operator (its keep-alive connection's backend) and moves it to the
// next one only when a request fails at the network level, as when that backend dies.

import { Agent, request } from 'node:https';
import { DataKitTaskLoop } from './datakit-task-loop.ts';

export interface OperatorEndpoint {
  /** e.g. `https://127.0.0.1:9543` */
  readonly baseUrl: string;
  /** The CA that signed the operator's serving certificate. */
  readonly ca: string;
}

export type Routing = 'per-request' | 'sticky';

export interface FleetOptions {
  readonly routing?: Routing;
}

export interface Reply {
  readonly status: number;
  readonly body: string;
}

const REQUEST_TIMEOUT_MS = 3_000;

/** One request to one operator, trusting its CA (through `agent` when given, else a new connection). */
export function operatorRequest(
  endpoint: OperatorEndpoint,
  method: string,
  path: string,
  body?: string,
  agent?: Agent,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(path, endpoint.baseUrl),
      {
        method,
        ...(agent === undefined ? { ca: endpoint.ca, agent: false } : { agent }),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${path} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

class Transport {
  readonly #endpoints: readonly { readonly endpoint: OperatorEndpoint; readonly agent: Agent }[];
  readonly #routing: Routing;
  #next: number;

  constructor(endpoints: readonly OperatorEndpoint[], offset: number, routing: Routing) {
    this.#endpoints = endpoints.map((endpoint) => ({
      endpoint,
      agent: new Agent({ ca: endpoint.ca, keepAlive: true }),
    }));
    this.#next = offset;
    this.#routing = routing;
  }

  /** The operator the next request goes to. */
  get baseUrl(): string {
    return this.#current().endpoint.baseUrl;
  }

  async send(method: string, path: string, body?: string): Promise<Reply> {
    const target = this.#current();
    if (this.#routing === 'per-request') this.#next++;
    try {
      return await operatorRequest(target.endpoint, method, path, body, target.agent);
    } catch (error) {
      if (this.#routing === 'sticky' && this.#current() === target) this.#next++;
      throw error;
    }
  }

  close(): void {
    for (const endpoint of this.#endpoints) endpoint.agent.destroy();
  }

  #current() {
    return this.#endpoints[this.#next % this.#endpoints.length]!;
  }
}

abstract class LoopingAgent {
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #pending: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    protected readonly transport: Transport,
    private readonly intervalMs: () => number,
  ) {}

  get stopped(): boolean {
    return this.#stopped;
  }

  /** The operator this agent's next request goes to. */
  get operatorUrl(): string {
    return this.transport.baseUrl;
  }

  start(): void {
    const loop = (): void => {
      if (this.#stopped) return;
      this.#pending = this.step().catch(() => this.onUnreachable());
      void this.#pending.then(() => {
        if (!this.#stopped) this.#timer = setTimeout(loop, this.intervalMs());
      });
    };
    loop();
  }

  /** Like killing the DataKit pod: no more requests, no goodbye. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#pending;
    this.transport.close();
  }

  protected abstract step(): Promise<void>;
  protected abstract onUnreachable(): void;
}

export interface CentralSettings {
  readonly token: string;
  readonly namespace: string;
}

export class CentralAgent extends LoopingAgent {
  #leaderUntilMs = 0;
  #intervalSeconds: number;
  #leaseSeconds = 0;
  readonly #settings: CentralSettings;

  constructor(id: string, transport: Transport, settings: CentralSettings, initialIntervalSeconds: number) {
    super(id, transport, () => this.#intervalSeconds * 1000);
    this.#settings = settings;
    this.#intervalSeconds = initialIntervalSeconds;
  }

  /** DataKit's own belief: it runs the election inputs now. */
  isLeader(nowMs = performance.now()): boolean {
    return !this.stopped && nowMs < this.#leaderUntilMs;
  }

  protected async step(): Promise<void> {
    const sentMs = performance.now();
    const path = this.isLeader(sentMs) ? '/v1/dk-election/heartbeat' : '/v1/dk-election';
    const query = new URLSearchParams({
      token: this.#settings.token,
      namespace: this.#settings.namespace,
      id: this.id,
    });
    const reply = await this.transport.send('POST', `${path}?${query}`);
    if (reply.status !== 200) return; // An outage: a leader keeps its local safe lease, nothing more.
    const content = (
      JSON.parse(reply.body) as { content: { status: string; interval: number; lease_duration: number } }
    ).content;
    this.#intervalSeconds = content.interval;
    this.#leaseSeconds = content.lease_duration;
    if (content.status === 'success') {
      this.#leaderUntilMs = sentMs + (this.#leaseSeconds - this.#intervalSeconds) * 1000;
    } else if (content.status === 'defeat') {
      this.#leaderUntilMs = 0;
    }
  }

  protected onUnreachable(): void {}
}

export class TaskAgent extends LoopingAgent {
  readonly #loop = new DataKitTaskLoop();
  readonly #inputs: Readonly<Record<string, number>>;
  readonly #namespace: string;

  constructor(
    id: string,
    transport: Transport,
    inputs: Readonly<Record<string, number>>,
    namespace: string,
    pollMs: number,
  ) {
    super(id, transport, () => pollMs);
    this.#inputs = inputs;
    this.#namespace = namespace;
  }

  /** The inputs this DataKit runs now. */
  get running(): readonly string[] {
    return this.#loop.running;
  }

  /** The body of this agent's next poll, as DataKit builds it. */
  pollBody(): string {
    return JSON.stringify({
      namespace: this.#namespace,
      id: this.id,
      timestamp: Date.now(),
      application_inputs: this.#inputs,
      running_inputs: this.running,
    });
  }

  protected async step(): Promise<void> {
    const body = this.pollBody();
    const reply = await this.transport.send('POST', '/v1/datakit/election', body);
    if (reply.status !== 200) return;
    this.#loop.receive((JSON.parse(reply.body) as { allowed_inputs: string[] }).allowed_inputs);
  }

  protected onUnreachable(): void {}
}

export interface Fleet<A extends LoopingAgent> {
  readonly agents: readonly A[];
  live(): A[];
  stop(): Promise<void>;
}

function startFleet<A extends LoopingAgent>(agents: A[]): Fleet<A> {
  for (const agent of agents) agent.start();
  return {
    agents,
    live: () => agents.filter((agent) => !agent.stopped),
    stop: () => Promise.all(agents.map((agent) => agent.stop())).then(() => undefined),
  };
}

export function startCentralFleet(
  endpoints: readonly OperatorEndpoint[],
  ids: readonly string[],
  settings: CentralSettings,
  initialIntervalSeconds = 3,
  options: FleetOptions = {},
): Fleet<CentralAgent> {
  const routing = options.routing ?? 'per-request';
  return startFleet(
    ids.map(
      (id, index) =>
        new CentralAgent(id, new Transport(endpoints, index, routing), settings, initialIntervalSeconds),
    ),
  );
}

export function startTaskFleet(
  endpoints: readonly OperatorEndpoint[],
  ids: readonly string[],
  inputs: Readonly<Record<string, number>>,
  pollMs = 4_000,
  namespace = '',
  options: FleetOptions = {},
): Fleet<TaskAgent> {
  const routing = options.routing ?? 'per-request';
  return startFleet(
    ids.map(
      (id, index) => new TaskAgent(id, new Transport(endpoints, index, routing), inputs, namespace, pollMs),
    ),
  );
}

/** Inputs run by more than one live agent, and inputs run by none. */
export function taskCoverage(
  fleet: Fleet<TaskAgent>,
  inputs: Readonly<Record<string, number>>,
): { readonly doubled: string[]; readonly orphaned: string[] } {
  const runners = new Map<string, number>(Object.keys(inputs).map((name) => [name, 0]));
  for (const agent of fleet.live())
    for (const input of agent.running) runners.set(input, (runners.get(input) ?? 0) + 1);
  return {
    doubled: [...runners].filter(([, count]) => count > 1).map(([name]) => name),
    orphaned: [...runners].filter(([, count]) => count === 0).map(([name]) => name),
  };
}
