// The envs a v2 rule injects (flameshot, logfwd, otel; reference §1.3, §4.1, §5.2): placeholders converted,
// a `{resourceFieldRef:…}` dropped when the container it names does not declare that resource (as upstream
// does), ordered so that every `$(NAME)` follows the env it names.

import { addEnvsIfAbsent, buildEnvVar, configuredEnvOrder } from './env.ts';
import type { ConfiguredEnv, Container, EnvVar } from './types.ts';

function declares(container: Container, resource: string): boolean {
  const [kind, name] = resource.split('.');
  const amounts = (container.resources as Record<string, unknown> | undefined)?.[kind ?? ''];
  return (
    typeof amounts === 'object' && amounts !== null && name !== undefined && Object.hasOwn(amounts, name)
  );
}

export interface RuleEnvs {
  readonly envs: readonly EnvVar[];
  /** `configuredEnvOrder` of the envs kept: the order `$(VAR)` expansion needs among them. */
  readonly order: readonly number[];
}

/** The rule's envs for `reference`, whose resources a `{resourceFieldRef:…}` reports. */
export function buildRuleEnvs(configured: readonly ConfiguredEnv[], reference: Container): RuleEnvs {
  const built = configured.map((env) => buildEnvVar(env, reference.name));
  const keptAt = built.flatMap((env, index) => {
    const ref = (env.valueFrom as { resourceFieldRef?: { resource?: string } } | undefined)?.resourceFieldRef;
    return ref?.resource !== undefined && !declares(reference, ref.resource) ? [] : [index];
  });
  if (keptAt.length === configured.length) return { envs: built, order: configuredEnvOrder(configured) };
  return {
    envs: keptAt.map((index) => built[index] as EnvVar),
    order: configuredEnvOrder(keptAt.map((index) => configured[index] as ConfiguredEnv)),
  };
}

/** A sidecar's envs: a `{resourceFieldRef:…}` names the first app container, whose limits it reports. */
export function buildRuleSidecarEnvs(
  configured: readonly ConfiguredEnv[],
  reference: Container,
  sidecarName: string,
): EnvVar[] {
  const { envs, order } = buildRuleEnvs(configured, reference);
  const sidecar: Container = { name: sidecarName };
  addEnvsIfAbsent(sidecar, envs, order);
  return sidecar.env ?? [];
}
