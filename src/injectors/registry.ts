// The ordered list of features: the only place that knows all of them (ARCHITECTURE §4 rule 3).
// Order matters for the pod we produce (init containers and sidecars are appended in this order), and
// each feature plans against the pod as the features before it left it.

import { ddtraceFeature } from './ddtrace/ddtrace.ts';
import { flameshotFeature } from './flameshot/flameshot.ts';
import { logfwdFeature } from './logfwd/logfwd.ts';
import { loggingFeature } from './logging/logging.ts';
import { otelFeature } from './otel/otel.ts';
import { profilerFeature } from './profiler/profiler.ts';
import type { Feature } from '../mutation/plan.ts';
import { yieldingTo } from './tracer-precedence.ts';

// The `datakit/logs` mutation runs last, as upstream's does, so it sees the sidecars it must leave alone.
// Flameshot comes before the profiler, as upstream's does. The two tracers come first, as upstream's one
// tracing step; OpenTelemetry stands back whenever DDTrace selects the pod.
export const FEATURES: readonly Feature[] = [
  ddtraceFeature,
  yieldingTo(otelFeature, ddtraceFeature),
  logfwdFeature,
  flameshotFeature,
  profilerFeature,
  loggingFeature,
];
