// The envs of a sidecar a v2 rule injects (flameshot, logfwd; reference §4.1, §5.2): placeholders converted
// with `{resourceFieldRef:…}` naming the first app container — whose limits are what the sidecar reports —
// and dropped when that container does not declare the resource, as upstream does; ordered so that every
// `$(NAME)` follows the env it names.

import { addEnvsIfAbsent, buildEnvVar, configuredEnvOrder } from './env.ts';
import type { ConfiguredEnv, Container, EnvVar } from './types.ts';

function declares(container: Container, resource: string): boolean {
  const [kind, name] = resource.split('.');
  const amounts = (container.resources as Record<string, unknown> | undefined)?.[kind ?? ''];
  return (
    typeof amounts === 'object' && amounts !== null && name !== undefined && Object.hasOwn(amounts, name)
  );
}

export function buildRuleSidecarEnvs(
  configured: readonly ConfiguredEnv[],
  reference: Container,
  sidecarName: string,
): EnvVar[] {
  const built = configured.map((env) => buildEnvVar(env, reference.name));
  const keptAt = built.flatMap((env, index) => {
    const ref = (env.valueFrom as { resourceFieldRef?: { resource?: string } } | undefined)?.resourceFieldRef;
    return ref?.resource !== undefined && !declares(reference, ref.resource) ? [] : [index];
  });
  const kept = keptAt.map((index) => built[index] as EnvVar);
  const order =
    kept.length === configured.length
      ? configuredEnvOrder(configured)
      : configuredEnvOrder(keptAt.map((index) => configured[index] as ConfiguredEnv));
  const sidecar: Container = { name: sidecarName };
  addEnvsIfAbsent(sidecar, kept, order);
  return sidecar.env ?? [];
}
