// What the Pod informer keeps of a Pod: everything the full view shows except `metadata.managedFields`
// and the `kubectl.kubernetes.io/last-applied-configuration` annotation, which together are often more
// than half of a pod's JSON and are of no use to any view (upstream kept them, issue 15 defect C8).

import type { FeedObject } from '../kube/object-feed.ts';
import { LAST_APPLIED_ANNOTATION } from './constants.ts';

export interface CachedPod extends FeedObject {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly resourceVersion?: string;
    readonly [key: string]: unknown;
  };
  readonly spec?: { readonly nodeName?: string; readonly [key: string]: unknown };
  readonly status?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** The informer's `keep`: a shallow copy without the dropped fields; undefined for a nameless object. */
export function toCachedPod(raw: unknown): CachedPod | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const pod = raw as Record<string, unknown>;
  const metadata = pod['metadata'];
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { managedFields: _managedFields, annotations, ...kept } = metadata as Record<string, unknown>;
  if (typeof kept['name'] !== 'string' || kept['name'] === '') return undefined;
  if (typeof kept['namespace'] !== 'string') return undefined;
  const cachedMetadata: Record<string, unknown> = { ...kept };
  if (typeof annotations === 'object' && annotations !== null) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...rest } = annotations as Record<string, unknown>;
    if (Object.keys(rest).length > 0) cachedMetadata['annotations'] = rest;
  }
  // The kind and apiVersion of every item are the same; the list answer never had them (upstream).
  const { kind: _kind, apiVersion: _apiVersion, ...body } = pod;
  return { ...body, metadata: cachedMetadata } as CachedPod;
}

export function nodeNameOf(pod: CachedPod): string {
  const nodeName = pod.spec?.nodeName;
  return typeof nodeName === 'string' ? nodeName : '';
}
