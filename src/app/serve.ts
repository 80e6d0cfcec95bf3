// Composition of the `serve` command: config → logger and metrics → certificate → both listeners →
// hot reload → graceful shutdown (SPEC §1, §2, §11). Everything is owned by the returned handle so that
// tests can run several servers in one process on 127.0.0.1:0 and close them.

import type { ServerVersion } from '../podspec/types.ts';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { readBuildInfo } from './build-info.ts';
import { openTlsSource, type ServedTlsMode } from '../certs/tls-source.ts';
import { defaultCaOutPath } from '../certs/ephemeral.ts';
import { prepareConfig } from '../mutation/prepare-config.ts';
import { buildElectionService } from '../election/compose.ts';
import { buildClusterApis } from '../cluster-apis/compose.ts';
import { parseListenAddress, type ListenAddress } from '../config/listen-address.ts';
import {
  BUILT_IN_DEFAULTS_ORIGIN,
  loadConfigAndText,
  resolveConfigSources,
  type LoadedConfig,
  type LoadResult,
} from '../config/load.ts';
import type { OperatorConfig } from '../config/types.ts';
import { watchConfigFile } from '../config/watch.ts';
import { ErrorCode } from '../errors/codes.ts';
import { problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { ReloadableValue } from '../reload/reloadable.ts';
import type { KubeConfig } from '@kubernetes/client-node';
import { formatServerVersion, resolveServerVersion } from '../kube/server-version.ts';
import { readServiceAccountNamespace, resolveOperatorNamespace } from '../kube/operator-namespace.ts';
import { buildAdmissionEndpoint } from '../server/admission-endpoint.ts';
import { TransferBudget } from '../http/transfer-budget.ts';
import {
  DEFAULT_CONNECTION_LIMITS,
  type ClientErrorReason,
  type ConnectionLimits,
} from '../server/connection-limits.ts';
import { registerCertificateExpiryGauge } from '../server/certificate-metrics.ts';
import { buildHealthListener, buildHealthRoutes } from '../server/health.ts';
import { buildMainListener } from '../server/https.ts';
import {
  resolveKubernetesAccess,
  SERVICE_ACCOUNT_TOKEN_PATH,
  type KubernetesAccess,
} from '../kube/kubernetes-access.ts';
import { buildLogger, setLogLevel, stdoutLog, type Logger } from '../server/logger.ts';
import { buildMetrics, type OperatorMetrics } from '../server/metrics.ts';
import { restartOnlyChanges } from '../config/reload-rules.ts';
import { buildRouter } from '../http/router.ts';
import { buildMainRoutes } from '../server/routes.ts';

/** SPEC §1: in-flight requests get this long to finish after SIGTERM. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * In a cluster, how long the listeners keep accepting after SIGTERM (readiness already off). The pod's
 * endpoint is removed and kube-proxy reprograms the node only after the pod starts terminating, and
 * until then the API server's new connections still arrive here: refusing them would admit those pods
 * uninjected (fail-open). Outside a cluster nobody routes by endpoints, so there is no delay.
 */
export const IN_CLUSTER_SHUTDOWN_DELAY_MS = 5_000;

export interface StartServerOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--config FILE`; wins over ENV_CONFIG_FILE. */
  readonly configFile?: string | undefined;
  /** `--kubeconfig FILE`; wins over KUBECONFIG. */
  readonly kubeconfig?: string | undefined;
  /** `--ca-out FILE`: where the ephemeral CA is written. */
  readonly caOutPath?: string | undefined;
  /** Replace the configured listen addresses (tests bind 127.0.0.1:0). */
  readonly mainListen?: ListenAddress;
  readonly healthListen?: ListenAddress;
  readonly shutdownTimeoutMs?: number;
  /** Keep accepting this long after close() begins; default IN_CLUSTER_SHUTDOWN_DELAY_MS in a cluster, else 0. */
  readonly shutdownDelayMs?: number;
  /** Where the JSON log lines go; stdout when omitted. */
  readonly logDestination?: DestinationStream;
  /** Names added to the ephemeral certificate besides `localhost` and `127.0.0.1`. */
  readonly extraSans?: readonly string[];
  /** What one client may cost the listeners; tests shorten the timeouts. */
  readonly connectionLimits?: ConnectionLimits;
  /** Test knobs for the file watchers (config and cert files). */
  readonly watch?: { readonly pollMs?: number; readonly debounceMs?: number };
}

export interface RunningServer {
  readonly mainPort: number;
  readonly healthPort: number;
  /** The CA to trust (ephemeral and self-managed modes); undefined when serving certificate files. */
  readonly caPem: string | undefined;
  readonly caPath: string | undefined;
  readonly tlsMode: ServedTlsMode;
  readonly logger: Logger;
  isReady(): boolean;
  /** Graceful: readiness off at once, stop accepting, finish in-flight requests (bounded), release all. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<Result<RunningServer>> {
  const sources = resolveConfigSources(options.configFile, options.env);
  const { loaded, fileText } = loadConfigAndText(sources);
  if (!loaded.ok) return loaded;
  const start = loaded.value;

  prepareConfig(start.config);
  const holder = new ReloadableValue<OperatorConfig>(start.config);
  holder.onChange(prepareConfig);
  const stdout = options.logDestination === undefined ? stdoutLog() : undefined;
  const logger = buildLogger({
    level: start.config.log_level,
    destination: options.logDestination ?? stdout,
  });
  logConfigFindings(logger, start);
  holder.onChange((next) => setLogLevel(logger, next.log_level));

  const mainListen = options.mainListen
    ? ok(options.mainListen)
    : listenAddressOf(start.config.server_listen, 'server_listen');
  const healthListen = options.healthListen
    ? ok(options.healthListen)
    : listenAddressOf(start.config.health_listen, 'health_listen');
  if (!mainListen.ok) return mainListen;
  if (!healthListen.ok) return healthListen;

  const build = readBuildInfo();
  const metrics = buildMetrics({ version: build.version, nodeVersion: build.nodeVersion });
  metrics.setConfigIgnoredEntries(start.ignored.length);
  if (stdout !== undefined) metrics.countDroppedLogLines(() => stdout.droppedLines());
  metrics.recordV1Overrides(start.config.admission_inject_v2.overridden_by_v1);
  holder.onChange((next) => metrics.recordV1Overrides(next.admission_inject_v2.overridden_by_v1));

  const access = resolveKubernetesAccess({
    env: options.env,
    kubeconfigFlag: options.kubeconfig,
    serviceAccountTokenExists: existsSync(SERVICE_ACCOUNT_TOKEN_PATH),
  });
  // The Kubernetes client (@kubernetes/client-node: about a second and ~70 MB to load) is imported only
  // when there is Kubernetes access; the embedded default never loads it.
  const kube = access.kind === 'none' ? undefined : await import('../kube/client.ts');
  let kubeConfig: KubeConfig | undefined;
  try {
    kubeConfig = kube?.loadKubeConfig(access);
  } catch (cause) {
    return err(
      problem(
        ErrorCode.CONFIG_FILE,
        `cannot load the Kubernetes client configuration: ${(cause as Error).message}; ` +
          'pass a valid --kubeconfig FILE (or KUBECONFIG), or unset it to run without a cluster',
      ),
    );
  }
  const operatorNamespace = resolveOperatorNamespace({
    configured: start.config.namespace,
    env: options.env,
    serviceAccountNamespace: access.kind === 'in-cluster' ? readServiceAccountNamespace() : undefined,
  });
  const limits = options.connectionLimits ?? DEFAULT_CONNECTION_LIMITS;
  // One budget for every endpoint of the main listener that reads a body (SPEC §15).
  const buffers = new TransferBudget(limits.maxBufferedBytes, limits.requestTimeoutMs);
  metrics.measureBufferedBytes(() => buffers.heldBytes);
  const election = await buildElectionService({
    config: () => holder.current(),
    access,
    kubeConfig,
    operatorNamespace,
    registry: metrics.registry,
    logger,
    buffers,
  });
  if (!election.ok) return election;
  // ClusterLoggingConfigs and the cluster Pod API: their caches fill in the background (the webhook
  // never waits for them) and their routes answer 503 until then.
  const clusterApis = await buildClusterApis({ kubeConfig, logger, registry: metrics.registry });

  // The sidecar mode (SPEC §9) needs the API server version: asked once at start when there is
  // Kubernetes access, while the certificate is being opened (never rejects: it warns and yields
  // undefined); a configured `kubernetes_version` wins (and is read per request, so a hot reload can set it).
  const discovering =
    kube && kubeConfig
      ? discoverServerVersionOrWarn(kube.discoverServerVersion, kubeConfig, logger)
      : Promise.resolve(undefined);

  const tls = await openTlsSource(start.config.tls, {
    logger,
    caOutPath: options.caOutPath ?? defaultCaOutPath(),
    kubernetes: kubeConfig ? { config: kubeConfig, namespace: operatorNamespace } : undefined,
    ...(options.extraSans ? { extraSans: options.extraSans } : {}),
    ...(options.watch?.pollMs !== undefined ? { filesPollMs: options.watch.pollMs } : {}),
    ...(options.watch?.debounceMs !== undefined ? { filesDebounceMs: options.watch.debounceMs } : {}),
  });
  if (!tls.ok) return tls;
  registerCertificateExpiryGauge(metrics.registry, tls.value.source, tls.value.mode);

  let ready = false;
  const discovered = await discovering;
  const serverVersion = (): ServerVersion | undefined =>
    resolveServerVersion(holder.current().kubernetes_version, discovered);
  const admission = buildAdmissionEndpoint({
    config: () => holder.current(),
    serverVersion,
    metrics,
    logger,
    buffers,
  });
  const listenerOptions = {
    limits,
    onClientError: (reason: ClientErrorReason) => metrics.recordClientError(reason),
  };
  const main = buildMainListener(
    tls.value.source,
    buildRouter(
      buildMainRoutes({ admission, metrics, extraRoutes: [...election.value.routes, ...clusterApis.routes] }),
      logger,
    ),
    logger,
    listenerOptions,
  );
  const health = buildHealthListener(
    buildHealthRoutes(() => ready, metrics),
    logger,
    listenerOptions,
  );

  let mainAddress: AddressInfo;
  let healthAddress: AddressInfo;
  try {
    mainAddress = await main.listen(mainListen.value.host || undefined, mainListen.value.port);
    healthAddress = await health.listen(healthListen.value.host || undefined, healthListen.value.port);
  } catch (cause) {
    tls.value.source.close();
    await Promise.all([main.close(0), health.close()]);
    return err(
      problem(
        ErrorCode.CONFIG_INVALID,
        `cannot listen: ${(cause as Error).message}; change server_listen / health_listen or stop the other process`,
      ),
    );
  }

  const configWatcher =
    sources.file === undefined
      ? undefined
      : watchConfigFile(
          sources.file,
          options.env,
          (result) => applyReload(result, holder, logger, metrics),
          options.watch ?? {},
          fileText,
        );

  election.value.start();
  clusterApis.start();
  logger.info(
    {
      version: build.version,
      mainListen: `${mainAddress.address}:${mainAddress.port}`,
      healthListen: `${healthAddress.address}:${healthAddress.port}`,
      tlsMode: tls.value.mode,
      caPath: tls.value.caPath,
      configOrigin: start.origin,
      configWatched: sources.file !== undefined,
      kubernetes: access.kind,
      serverVersion: formatServerVersion(serverVersion()),
      namespace: operatorNamespace,
      electionStore: election.value.store,
    },
    startMessage(access, start.origin),
  );
  // The start-up lines are what `kubectl logs` is read for first: written now, not with the next batch.
  stdout?.flush();
  ready = true;

  let closing: Promise<void> | undefined;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const shutdownDelayMs =
    options.shutdownDelayMs ?? (access.kind === 'in-cluster' ? IN_CLUSTER_SHUTDOWN_DELAY_MS : 0);
  return ok({
    mainPort: mainAddress.port,
    healthPort: healthAddress.port,
    caPem: tls.value.caPem,
    caPath: tls.value.caPath,
    tlsMode: tls.value.mode,
    logger,
    isReady: () => ready,
    close() {
      closing ??= (async () => {
        ready = false;
        if (shutdownDelayMs > 0) {
          logger.info(
            { shutdownDelayMs },
            'shutting down: readiness off; still accepting while the endpoint is removed',
          );
          await new Promise((resolve) => setTimeout(resolve, shutdownDelayMs));
        }
        logger.info({ shutdownTimeoutMs }, 'shutting down: readiness off, finishing in-flight requests');
        configWatcher?.close();
        await main.close(shutdownTimeoutMs);
        await election.value.close();
        await clusterApis.close();
        tls.value.source.close();
        await health.close();
        logger.info('shutdown complete');
      })();
      return closing;
    },
  });
}

/** `/version` is bounded (kube/api-status.ts): a slow API server cannot hold up the webhook's start. */
async function discoverServerVersionOrWarn(
  discover: (config: KubeConfig) => Promise<ServerVersion>,
  kubeConfig: KubeConfig,
  logger: Logger,
): Promise<ServerVersion | undefined> {
  try {
    return await discover(kubeConfig);
  } catch (cause) {
    logger.warn(
      { error: (cause as Error).message },
      'cannot read the API server version: sidecar_mode auto treats Job pods as on an unknown version ' +
        '(regular containers); set kubernetes_version in the config to override',
    );
    return undefined;
  }
}

function listenAddressOf(text: string, key: string): Result<ListenAddress> {
  const parsed = parseListenAddress(text);
  if (!parsed.ok) return err(problem(ErrorCode.CONFIG_INVALID, `${key}: "${text}": ${parsed.error}`, key));
  return parsed;
}

export function startMessage(access: KubernetesAccess, configOrigin: string): string {
  switch (access.kind) {
    case 'none':
      return configOrigin === BUILT_IN_DEFAULTS_ORIGIN
        ? 'datakit-operator started; no Kubernetes access: running the embedded default'
        : `datakit-operator started; no Kubernetes access: running the config from ${configOrigin}`;
    case 'in-cluster':
      return 'datakit-operator started; running in a cluster (service-account token found)';
    case 'kubeconfig':
      return `datakit-operator started; Kubernetes access through kubeconfig ${access.file}`;
  }
}

/**
 * Settings that a reload cannot change in a running process: they are read once at start (the listen
 * addresses, the certificate source, the election store, the operator namespace).
 */
export type ReloadOutcome = 'success' | 'failure' | 'restart_needed';

/** Warnings, and the entries left out of the config (which a user must fix: SPEC §12.1), one line each. */
function logConfigFindings(logger: Logger, loaded: LoadedConfig): void {
  for (const warning of loaded.warnings) logger.warn({ origin: loaded.origin }, `configuration: ${warning}`);
  for (const entry of loaded.ignored) {
    logger.warn({ origin: loaded.origin, ignored: true }, `configuration: ${entry}`);
  }
}

function applyReload(
  result: LoadResult,
  holder: ReloadableValue<OperatorConfig>,
  logger: Logger,
  metrics: Pick<OperatorMetrics, 'recordConfigReload' | 'setConfigIgnoredEntries'>,
): void {
  const count = (outcome: ReloadOutcome): void => metrics.recordConfigReload(outcome);
  if (!result.ok) {
    const details = (result.error.problems ?? []).map((p) => p.message);
    count('failure');
    logger.error(
      { problems: details, code: result.error.code },
      `configuration reload rejected, keeping the previous configuration: ${result.error.message}: ` +
        details.join('; '),
    );
    return;
  }
  const next = result.value;
  const previous: OperatorConfig = holder.current();
  // Everything else in the new config applies at once; the restart-only keys keep their start-up
  // values in the running process whatever the snapshot says.
  holder.replace(next.config);
  metrics.setConfigIgnoredEntries(next.ignored.length);
  logConfigFindings(logger, next);
  const restartNeeded = restartOnlyChanges(previous, next.config);
  if (restartNeeded.length > 0) {
    count('restart_needed');
    logger.warn(
      { origin: next.origin, keys: restartNeeded },
      `configuration change needs a restart: ${restartNeeded.join(', ')} take effect only after the ` +
        'operator restarts (the other changes, if any, are applied)',
    );
    return;
  }
  count('success');
  logger.info({ origin: next.origin }, 'configuration reloaded');
}
