// What the mutation core decides once per loaded config rather than per request (SPEC §15): the order
// `$(VAR)` expansion needs among each feature's configured envs. Deciding it is memoized by the config's
// frozen env lists, so this only moves the work from the first admission to config load (and reload).

import type { OperatorConfig } from '../config/types.ts';
import { configuredEnvOrder } from '../podspec/env.ts';

export function prepareConfig(config: OperatorConfig): void {
  const { ddtrace, profiler } = config.admission_inject;
  configuredEnvOrder(ddtrace.envs);
  configuredEnvOrder(profiler.envs);
  for (const rule of config.admission_inject_v2.ddtraces) configuredEnvOrder(rule.envs);
}
