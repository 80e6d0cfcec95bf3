// `datakit-operator serve`: start the server and run until SIGTERM/SIGINT, then shut down gracefully
// (SPEC §1) and exit 0. A second signal while draining exits at once (an impatient Ctrl-C).

import { ExitCode, stringOption, type Command } from './command.ts';
import { printProblem } from './print-error.ts';
import { PROGRAM_NAME } from './usage.ts';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** Signals this close to the first are the same request to stop, not an impatient second one. */
const SAME_SIGNAL_WINDOW_MS = 500;

export const serveCommand: Command = {
  path: ['serve'],
  synopsis: '[--config FILE] [--kubeconfig FILE] [--ca-out FILE]',
  summary: 'Run the webhook (the default). The --config file is hot-reloaded; --ca-out: ephemeral CA path.',
  options: {
    config: { type: 'string' },
    kubeconfig: { type: 'string' },
    'ca-out': { type: 'string' },
  },
  positionals: [],
  async run({ values }, io) {
    // Listening for the signals before starting: a SIGTERM or Ctrl-C that arrives while the server is
    // still starting (already ready, but not yet back here) must shut it down, not kill the process.
    const running: { logger?: { warn(fields: object, message: string): void } } = {};
    const signals = listenForShutdownSignals((again) => {
      running.logger?.warn({ signal: again }, 'second shutdown signal: exiting without waiting');
      process.exit(ExitCode.BAD_INPUT);
    });
    // Loaded here, not at the top: the server pulls in TLS, logs and metrics, which the other commands
    // (`version`, `config validate`) should not pay for at start-up. The Kubernetes client is loaded
    // later still, only when there is Kubernetes access.
    const { startServer } = await import('../app/serve.ts');
    const started = await startServer({
      env: io.env,
      configFile: stringOption(values, 'config'),
      kubeconfig: stringOption(values, 'kubeconfig'),
      caOutPath: stringOption(values, 'ca-out'),
    });
    if (!started.ok) {
      printProblem(io, started.error);
      return ExitCode.BAD_INPUT;
    }
    const server = started.value;
    running.logger = server.logger;
    if (server.caPath !== undefined) {
      io.stderr(`${PROGRAM_NAME}: serving an ephemeral certificate; trust the CA at ${server.caPath}\n`);
    }
    const signal = await signals.first;
    server.logger.info({ signal }, 'shutdown signal received');
    await server.close();
    return ExitCode.OK;
  },
};

/**
 * One listener per signal for the whole run. Removing it between two signals would leave the signal
 * without a listener for a moment, and node then applies the default action: under `npm start`, where
 * one Ctrl-C arrives twice (from the terminal and forwarded by npm), the second could kill the process
 * mid-shutdown.
 */
function listenForShutdownSignals(onImpatient: (signal: NodeJS.Signals) => void): {
  readonly first: Promise<NodeJS.Signals>;
} {
  let resolveFirst: (signal: NodeJS.Signals) => void = () => {};
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve));
  let receivedAt: number | undefined;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (receivedAt === undefined) {
        receivedAt = performance.now();
        resolveFirst(signal);
      } else if (performance.now() - receivedAt >= SAME_SIGNAL_WINDOW_MS) {
        onImpatient(signal);
      }
    });
  }
  return { first };
}
