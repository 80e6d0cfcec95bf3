// The ordered list of injectors: the only place that knows all of them (ARCHITECTURE §4 rule 3).
// Order matters for the pod we produce (init containers and sidecars are appended in this order).

import { ddtraceInjector } from '../injectors/ddtrace/ddtrace.ts';
import { logfwdInjector } from '../injectors/logfwd/logfwd.ts';
import { profilerInjector } from '../injectors/profiler/profiler.ts';
import type { Injector } from './types.ts';

export const INJECTORS: readonly Injector[] = [ddtraceInjector, logfwdInjector, profilerInjector];
