// The ordered list of features: the only place that knows all of them (ARCHITECTURE §4 rule 3).
// Order matters for the pod we produce (init containers and sidecars are appended in this order), and
// each feature plans against the pod as the features before it left it.

import { ddtraceFeature } from './ddtrace/ddtrace.ts';
import { logfwdFeature } from './logfwd/logfwd.ts';
import { profilerFeature } from './profiler/profiler.ts';
import type { Feature } from '../mutation/plan.ts';

export const FEATURES: readonly Feature[] = [ddtraceFeature, logfwdFeature, profilerFeature];
