// Prometheus metrics. Each server instance owns its registry (never prom-client's global one), so that
// several servers can run in one process (the HTTP tests do) without "metric already registered" errors.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AdmissionDecision, AdmissionResult } from '../admission/types.ts';
import { CLIENT_ERROR_REASONS, type ClientErrorReason } from './connection-limits.ts';
import type { V1OverridableList } from '../config/v2/types.ts';
import { ScrapeTimeCounts } from './scrape-time-counts.ts';

/** Requests that never reached the admission handler, by why the HTTP layer turned them away. */
export type RejectedAdmission = 'bad_request' | 'busy' | 'too_large' | 'unsupported_media_type';

export const METRIC_NAMES = {
  admissionRequests: 'datakit_operator_admission_requests_total',
  injections: 'datakit_operator_injections_total',
  admissionDuration: 'datakit_operator_admission_duration_seconds',
  configReloads: 'datakit_operator_config_reloads_total',
  configLastReloadSuccess: 'datakit_operator_config_last_reload_success',
  configIgnoredEntries: 'datakit_operator_config_ignored_entries',
  buildInfo: 'datakit_operator_build_info',
  httpClientErrors: 'datakit_operator_http_client_errors_total',
  configV1OverridesV2: 'datakit_operator_config_v1_overrides_v2',
  logLinesDropped: 'datakit_operator_log_lines_dropped_total',
  httpBufferedBytes: 'datakit_operator_http_buffered_bytes',
} as const;

/** The v2 lists a v1 `admission_inject` section can override (reference §1.7). */
const V1_OVERRIDABLE_LISTS: readonly V1OverridableList[] = ['ddtraces', 'logfwds', 'profilers'];

// The handler is pure and in-memory: most requests take well under a millisecond; 1 s is already a
// problem (the API server's webhook timeout is 5 s).
const DURATION_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

export interface OperatorMetrics {
  readonly registry: Registry;
  recordAdmission(decision: AdmissionDecision, durationSeconds: number): void;
  recordRejectedAdmission(result: RejectedAdmission): void;
  /** `restart_needed`: the new config changed a key that applies only after a restart. */
  recordConfigReload(outcome: 'success' | 'failure' | 'restart_needed'): void;
  /** How many entries the running config leaves out, as the Go operator did (SPEC §12.1). */
  setConfigIgnoredEntries(count: number): void;
  /** A client the listeners refused or cut before any route saw its request (SPEC §15). */
  recordClientError(reason: ClientErrorReason): void;
  /** After each (re)load: which v2 lists of the config in effect a v1 section overrides. */
  recordV1Overrides(lists: readonly V1OverridableList[]): void;
  /** Where the count of log lines dropped because stdout did not keep up comes from (read per scrape). */
  countDroppedLogLines(read: () => number): void;
  /** Where the bytes of request bodies still arriving come from (the body budget; read per scrape). */
  measureBufferedBytes(read: () => number): void;
  /** The exposition text and its content type, for `GET /metrics`. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function buildMetrics(build: { version: string; nodeVersion: string }): OperatorMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requestCounts = new ScrapeTimeCounts(['result'] as const);
  const injectionCounts = new ScrapeTimeCounts(['feature', 'outcome', 'reason'] as const);
  new Counter({
    name: METRIC_NAMES.admissionRequests,
    help: 'Admission requests by result (mutated, unchanged, ignored, failed-open, or why the request was refused).',
    labelNames: requestCounts.labelNames,
    registers,
    collect() {
      requestCounts.writeTo(this);
    },
  });
  new Counter({
    name: METRIC_NAMES.injections,
    help: 'Per-feature injection decisions: outcome injected or skipped, with the reason.',
    labelNames: injectionCounts.labelNames,
    registers,
    collect() {
      injectionCounts.writeTo(this);
    },
  });
  const admissionDuration = new Histogram({
    name: METRIC_NAMES.admissionDuration,
    help: 'Time spent deciding an admission request, from parsed body to serialised response.',
    buckets: DURATION_BUCKETS,
    registers,
  });
  const configReloads = new Counter({
    name: METRIC_NAMES.configReloads,
    help: 'Configuration hot reloads by result (success, failure, or restart_needed when a changed key applies only after a restart).',
    labelNames: ['result'] as const,
    registers,
  });
  const configLastReloadSuccess = new Gauge({
    name: METRIC_NAMES.configLastReloadSuccess,
    help: '1 when the last configuration reload (or the initial load) succeeded, 0 when it was rejected.',
    registers,
  });
  const configIgnoredEntries = new Gauge({
    name: METRIC_NAMES.configIgnoredEntries,
    help: 'Entries of the running configuration that are ignored (a pattern that does not compile, a non-string env value, an unknown language), as the Go operator ignored them; the start-up and reload logs name each. 0 is healthy.',
    registers,
  });
  const buildInfo = new Gauge({
    name: METRIC_NAMES.buildInfo,
    help: 'Always 1; the labels name the running build.',
    labelNames: ['version', 'node_version'] as const,
    registers,
  });

  const httpClientErrors = new Counter({
    name: METRIC_NAMES.httpClientErrors,
    help: 'Clients refused or cut by the listeners: malformed or oversized requests, timeouts, stream-reset floods.',
    labelNames: ['reason'] as const,
    registers,
  });

  const configV1OverridesV2 = new Gauge({
    name: METRIC_NAMES.configV1OverridesV2,
    help: 'Per admission_inject_v2 list: 1 when a v1 admission_inject section sets images or envs and so overrides the list (its rules are ignored).',
    labelNames: ['list'] as const,
    registers,
  });
  for (const list of V1_OVERRIDABLE_LISTS) configV1OverridesV2.set({ list }, 0);

  let readDroppedLogLines = (): number => 0;
  let reportedDroppedLogLines = 0;
  new Counter({
    name: METRIC_NAMES.logLinesDropped,
    help: 'Log lines dropped because 16 MiB of log text were already waiting for stdout (a log reader that does not keep up). 0 is healthy.',
    registers,
    collect() {
      const dropped = readDroppedLogLines();
      if (dropped > reportedDroppedLogLines) this.inc(dropped - reportedDroppedLogLines);
      reportedDroppedLogLines = dropped;
    },
  });

  let readBufferedBytes = (): number => 0;
  new Gauge({
    name: METRIC_NAMES.httpBufferedBytes,
    help: 'Bytes the main listener holds for its clients over all connections: request bodies while they arrive, answers (counted three times their length) until written; at 32 MiB (the limit) new requests are refused with 503.',
    registers,
    collect() {
      this.set(readBufferedBytes());
    },
  });

  buildInfo.set({ version: build.version, node_version: build.nodeVersion }, 1);
  for (const reason of CLIENT_ERROR_REASONS) httpClientErrors.inc({ reason }, 0);
  configLastReloadSuccess.set(1);
  // Zero-valued series from the start, so that rate() and alerts work before the first event.
  for (const result of ['success', 'failure', 'restart_needed']) configReloads.inc({ result }, 0);

  return {
    registry,
    recordAdmission(decision, durationSeconds) {
      const result: AdmissionResult = decision.result;
      requestCounts.add(result);
      admissionDuration.observe(durationSeconds);
      for (const outcome of decision.outcomes) {
        injectionCounts.add(outcome.feature, outcome.status, outcome.reason);
      }
    },
    recordRejectedAdmission(result) {
      requestCounts.add(result);
    },
    recordConfigReload(outcome) {
      configReloads.inc({ result: outcome });
      configLastReloadSuccess.set(outcome === 'failure' ? 0 : 1);
    },
    setConfigIgnoredEntries(count) {
      configIgnoredEntries.set(count);
    },
    recordClientError(reason) {
      httpClientErrors.inc({ reason });
    },
    recordV1Overrides(lists) {
      for (const list of V1_OVERRIDABLE_LISTS)
        configV1OverridesV2.set({ list }, lists.includes(list) ? 1 : 0);
    },
    countDroppedLogLines(read) {
      readDroppedLogLines = read;
    },
    measureBufferedBytes(read) {
      readBufferedBytes = read;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
