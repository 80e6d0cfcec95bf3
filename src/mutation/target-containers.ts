// Which containers an injector instruments (SPEC §6): every app container except the operator's own
// sidecars and well-known mesh proxies, narrowed by `admission.datakit/container-names`.

import { getAnnotation } from '../podspec/annotations.ts';
import type { Container, Pod } from '../podspec/types.ts';
import { ANNOTATION_CONTAINER_NAMES, PROXY_SIDECAR_NAMES, isOperatorSidecarName } from './operator-names.ts';

export interface TargetContainers {
  readonly containers: Container[];
  /** Problems with the container-names annotation, for the user. */
  readonly warnings: string[];
}

function isEligible(container: Container): boolean {
  return !isOperatorSidecarName(container.name) && !PROXY_SIDECAR_NAMES.has(container.name);
}

export function parseContainerNames(value: string): string[] {
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

export function resolveTargetContainers(pod: Pod): TargetContainers {
  const eligible = (pod.spec?.containers ?? []).filter(isEligible);
  const annotation = getAnnotation(pod, ANNOTATION_CONTAINER_NAMES);
  if (annotation === undefined) return { containers: eligible, warnings: [] };

  const wanted = parseContainerNames(annotation);
  const warnings: string[] = [];
  if (wanted.length === 0) {
    warnings.push(`annotation ${ANNOTATION_CONTAINER_NAMES} is empty: every container is instrumented`);
    return { containers: eligible, warnings };
  }
  const eligibleNames = new Set(eligible.map((container) => container.name));
  const unknown = wanted.filter((name) => !eligibleNames.has(name));
  if (unknown.length > 0) {
    warnings.push(
      `annotation ${ANNOTATION_CONTAINER_NAMES} names ${unknown.map((name) => `"${name}"`).join(', ')}, ` +
        `which ${unknown.length === 1 ? 'is not an instrumentable container' : 'are not instrumentable containers'} of this pod ` +
        `(instrumentable: ${[...eligibleNames].map((name) => `"${name}"`).join(', ') || 'none'})`,
    );
  }
  const selected = new Set(wanted);
  return { containers: eligible.filter((container) => selected.has(container.name)), warnings };
}
