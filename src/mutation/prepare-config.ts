// What the mutation core decides once per loaded config rather than per request (SPEC §15): the order
// `$(VAR)` expansion needs among each feature's configured envs. Deciding it is memoized by the config's
// frozen env lists, so this only moves the work from the first admission to config load (and reload).

import type { OperatorConfig } from '../config/types.ts';
import { configuredEnvOrder } from '../podspec/env.ts';

export function prepareConfig(config: OperatorConfig): void {
  const { ddtrace, profiler } = config.admission_inject;
  configuredEnvOrder(ddtrace.envs);
  configuredEnvOrder(profiler.envs);
  const v2 = config.admission_inject_v2;
  for (const rule of [...v2.ddtraces, ...v2.profilers, ...v2.otels]) configuredEnvOrder(rule.envs);
  for (const rule of v2.flameshots) configuredEnvOrder(rule.sidecar_envs);
  // The logfwd v2 sidecar's envs include values computed per pod (its annotation), so they are ordered
  // per request; they are the rule's few envs plus two.
}
