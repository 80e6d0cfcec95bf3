// Keeps a client-node informer running: it is started, and after any failure of its list or watch it is
// restarted with exponential backoff until stopped. One policy for every cache the operator keeps (Leases,
// the cluster's Pods, ClusterLoggingConfigs), so they all recover the same way.

export interface SupervisedInformer {
  start(): Promise<void>;
  stop(): Promise<void>;
  on(event: 'error', callback: (error: unknown) => void): void;
}

export interface SupervisionOptions {
  /** Told about every failure (each is followed by a restart after the current backoff). */
  readonly onError: (error: unknown) => void;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export interface InformerSupervisor {
  start(): void;
  stop(): Promise<void>;
  /** After a success (a list that went through): the next failure waits the initial backoff again. */
  resetBackoff(): void;
}

const DEFAULT_INITIAL_BACKOFF_MS = 500;
const DEFAULT_MAX_BACKOFF_MS = 30_000;

export function superviseInformer(
  informer: SupervisedInformer,
  options: SupervisionOptions,
): InformerSupervisor {
  const initialBackoffMs = options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  let stopped = true;
  let backoffMs = initialBackoffMs;
  let restartTimer: NodeJS.Timeout | undefined;

  const run = (): void => {
    informer.start().catch(restartAfter);
  };
  const restartAfter = (error: unknown): void => {
    if (stopped) return;
    options.onError(error);
    clearTimeout(restartTimer);
    restartTimer = setTimeout(() => {
      if (!stopped) run();
    }, backoffMs);
    restartTimer.unref();
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
  };
  informer.on('error', restartAfter);

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      run();
    },
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      await informer.stop();
    },
    resetBackoff() {
      backoffMs = initialBackoffMs;
    },
  };
}
