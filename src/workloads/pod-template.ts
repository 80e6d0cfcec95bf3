// A pod template seen as the pod a controller would create from it, and the mutated pod written back.
// The webhook reads only a pod's metadata and spec, and a template is exactly those two, so the same
// core decides for both; the template keeps its key order so a GitOps diff shows only what was added.

import type { Pod } from '../podspec/types.ts';

const METADATA = 'metadata';
const SPEC = 'spec';

export function buildPodView(template: Readonly<Record<string, unknown>>): Pod {
  const view: Pod = {};
  if (template[METADATA] !== undefined) view.metadata = template[METADATA] as Pod['metadata'];
  if (template[SPEC] !== undefined) view.spec = template[SPEC] as Pod['spec'];
  return view;
}

/** Writes the mutated pod's metadata and spec into the template, in place. */
export function writePodIntoTemplate(template: Record<string, unknown>, pod: Readonly<Pod>): void {
  const hadMetadata = Object.hasOwn(template, METADATA);
  if (pod.metadata !== undefined) template[METADATA] = pod.metadata;
  if (pod.spec !== undefined) template[SPEC] = pod.spec;
  // Kubernetes writes metadata first; a template that had none gets it there, not after a long spec.
  if (!hadMetadata && pod.metadata !== undefined) moveKeyFirst(template, METADATA);
}

/** Replaces every key of `target` with those of `source`, in `source`'s order, in place. */
export function replaceContents(
  target: Record<string, unknown>,
  source: Readonly<Record<string, unknown>>,
): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

function moveKeyFirst(target: Record<string, unknown>, key: string): void {
  const reordered = { [key]: target[key], ...target };
  replaceContents(target, reordered);
}
