// The operator as the separate process it is in production: `node --import tsx src/main.ts serve
// --kubeconfig K --config C`. A journey can stop it (SIGTERM, graceful), freeze it (SIGSTOP: a webhook
// that accepts connections but never answers) and start it again on the same port with the same files.

import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hasExited, LineTail, stopChild, trackChild } from './child-processes.ts';
import { parseLogLine, STARTED_MESSAGE_PREFIX, type LogEntry } from './operator-log.ts';
import { PollAbort, pollUntil } from './wait.ts';

/** tsx compiles the sources on first start: give a loaded machine time. */
const READY_TIMEOUT_MS = 120_000;
/** SPEC §1: in-flight requests get 10 s; then some slack. */
const STOP_GRACE_MS = 20_000;
const MAIN_MODULE = 'src/main.ts';
const EXIT_WITH_PARENT = 'test/e2e/support/exit-with-parent.ts';
/** The operator reads these at start (config sources, legacy overrides, namespace); the test decides them. */
const OPERATOR_ENV_PREFIXES = ['ENV_'];
const OPERATOR_ENV_NAMES = [
  'KUBECONFIG',
  'POD_NAMESPACE',
  'KUBERNETES_SERVICE_HOST',
  'KUBERNETES_SERVICE_PORT',
];

export interface OperatorProcessOptions {
  /** For messages: which operator this is. */
  readonly label: string;
  readonly root: string;
  readonly kubeconfig: string;
  readonly configFile: string;
  readonly caOut: string;
  readonly healthPort: number;
}

export class OperatorProcess {
  /** Every JSON log line, in order. */
  readonly entries: LogEntry[] = [];
  private readonly tail = new LineTail(80);

  private constructor(
    private readonly child: ChildProcess,
    readonly options: OperatorProcessOptions,
  ) {}

  static async start(options: OperatorProcessOptions): Promise<OperatorProcess> {
    const args = [
      '--import',
      'tsx',
      '--import',
      join(options.root, EXIT_WITH_PARENT),
      join(options.root, MAIN_MODULE),
      'serve',
      '--kubeconfig',
      options.kubeconfig,
      '--config',
      options.configFile,
      '--ca-out',
      options.caOut,
    ];
    const child = spawn(process.execPath, args, {
      cwd: options.root,
      env: operatorEnvironment(process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    const operator = new OperatorProcess(child, options);
    createInterface({ input: child.stdout! }).on('line', (line) => operator.record(line));
    createInterface({ input: child.stderr! }).on('line', (line) => operator.tail.push(line));
    try {
      await pollUntil(
        async () => {
          if (hasExited(child))
            throw new PollAbort(`exited with code ${child.exitCode} (${child.signalCode})`);
          return (await healthStatus(options.healthPort)) === 200 ? true : undefined;
        },
        { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250, what: `${options.label} to report ready on /readyz` },
      );
      // Log lines reach stdout in batches: the start-up line may follow readiness by a moment.
      await pollUntil(async () => (operator.startLine() === undefined ? undefined : true), {
        timeoutMs: READY_TIMEOUT_MS,
        intervalMs: 50,
        what: `${options.label} to log its start-up line`,
      });
    } catch (error) {
      await stopChild(child, STOP_GRACE_MS);
      throw new Error(`${options.label} did not start: ${(error as Error).message}\n${operator.describe()}`, {
        cause: error,
      });
    }
    return operator;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !hasExited(this.child);
  }

  /** The start-up line (`datakit-operator started; ...`) with the mode, version and namespace it chose. */
  startLine(): LogEntry | undefined {
    return this.entries.find((entry) => entry.msg?.startsWith(STARTED_MESSAGE_PREFIX));
  }

  /** SIGSTOP: connections are still accepted by the kernel, but nothing answers. */
  freeze(): void {
    this.child.kill('SIGSTOP');
  }

  thaw(): void {
    this.child.kill('SIGCONT');
  }

  async stop(): Promise<number | null> {
    await stopChild(this.child, STOP_GRACE_MS);
    return this.child.exitCode;
  }

  async waitForEntry(
    predicate: (entry: LogEntry) => boolean,
    what: string,
    timeoutMs = 30_000,
    from = 0,
  ): Promise<LogEntry> {
    return pollUntil(async () => this.entries.slice(from).find(predicate), {
      timeoutMs,
      intervalMs: 100,
      what: `${this.options.label} to log ${what}`,
    });
  }

  /** The last lines it wrote, for failure messages. */
  describe(): string {
    return `---- last output of ${this.options.label} ----\n${this.tail.text()}`;
  }

  private record(line: string): void {
    this.tail.push(line);
    const entry = parseLogLine(line);
    if (entry) this.entries.push(entry);
  }
}

function operatorEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) =>
        !OPERATOR_ENV_NAMES.includes(name) && !OPERATOR_ENV_PREFIXES.some((p) => name.startsWith(p)),
    ),
  );
}

function healthStatus(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: '/readyz', timeout: 2_000 }, (incoming) => {
      incoming.resume();
      resolve(incoming.statusCode ?? 0);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer from /readyz within 2 s')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}
