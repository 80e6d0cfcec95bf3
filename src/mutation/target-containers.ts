// Which containers the features instrument (SPEC §6): every app container except the operator's own
// sidecars and well-known mesh proxies, narrowed by `admission.datakit/container-names`. Decided once
// per request from the received pod and shared by every feature: the operator only appends its own
// sidecars, which are never targets, so the indexes stay valid while the plans are applied.

import { getAnnotation } from '../podspec/annotations.ts';
import type { Container, Pod } from '../podspec/types.ts';
import { MAX_CONTAINER_NAMES, MAX_NAMES_IN_WARNING, MAX_TARGET_CONTAINERS } from './limits.ts';
import { ANNOTATION_CONTAINER_NAMES, PROXY_SIDECAR_NAMES, isOperatorSidecarName } from './operator-names.ts';
import type { ContainerRef, TargetContainers } from './plan.ts';

function isEligible(container: Container): boolean {
  return !isOperatorSidecarName(container.name) && !PROXY_SIDECAR_NAMES.has(container.name);
}

export function parseContainerNames(value: string): string[] {
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** `"a", "b", "c" and 12 more`: a warning never grows with what a user can put in an annotation. */
export function quoteSomeNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES_IN_WARNING).map((name) => `"${name}"`);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function tooMany(count: number): TargetContainers {
  const limit = `the pod has ${count} containers to instrument, more than the limit of ${MAX_TARGET_CONTAINERS} per pod`;
  return { refs: [], warnings: [], limitExceeded: limit };
}

export function resolveTargetContainers(pod: Readonly<Pod>): TargetContainers {
  const targets = resolveNamedTargets(pod);
  return targets.refs.length > MAX_TARGET_CONTAINERS ? tooMany(targets.refs.length) : targets;
}

function resolveNamedTargets(pod: Readonly<Pod>): TargetContainers {
  const eligible: ContainerRef[] = [];
  const eligibleNames: string[] = [];
  (pod.spec?.containers ?? []).forEach((container, index) => {
    if (!isEligible(container)) return;
    eligible.push({ list: 'containers', index });
    eligibleNames.push(container.name);
  });
  const annotation = getAnnotation(pod, ANNOTATION_CONTAINER_NAMES);
  if (annotation === undefined) return { refs: eligible, warnings: [] };

  const wanted = parseContainerNames(annotation);
  if (wanted.length === 0) {
    const warning = `annotation ${ANNOTATION_CONTAINER_NAMES} is empty: every container is instrumented`;
    return { refs: eligible, warnings: [warning] };
  }
  if (wanted.length > MAX_CONTAINER_NAMES) {
    const limit =
      `annotation ${ANNOTATION_CONTAINER_NAMES} names ${wanted.length} containers, more than the limit ` +
      `of ${MAX_CONTAINER_NAMES} per pod`;
    return { refs: [], warnings: [], limitExceeded: limit };
  }
  const known = new Set(eligibleNames);
  const unknown = wanted.filter((name) => !known.has(name));
  const warnings: string[] = [];
  if (unknown.length > 0) {
    warnings.push(
      `annotation ${ANNOTATION_CONTAINER_NAMES} names ${quoteSomeNames(unknown)}, ` +
        `which ${unknown.length === 1 ? 'is not an instrumentable container' : 'are not instrumentable containers'} of this pod ` +
        `(instrumentable: ${quoteSomeNames([...known]) || 'none'})`,
    );
  }
  const selected = new Set(wanted);
  const refs = eligible.filter((_, position) => selected.has(eligibleNames[position] as string));
  return { refs, warnings };
}

/** The container a ref names in the pod as it is now (the draft, during a mutation). */
export function containerAt(pod: Readonly<Pod>, ref: ContainerRef): Container {
  const container = pod.spec?.[ref.list]?.[ref.index];
  if (container === undefined) throw new Error(`no container at spec.${ref.list}[${ref.index}]`);
  return container;
}
