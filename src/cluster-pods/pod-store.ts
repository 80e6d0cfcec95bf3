// The cached pods by namespace/name, with an index by node so that `fieldSelector=spec.nodeName=…` costs
// the pods of that node, not the cluster. Fed by the informer's add/update/delete events; the objects are
// the informer's own (no second copy).

import { nodeNameOf, type CachedPod } from './cached-pod.ts';

export interface PodFilter {
  readonly namespace?: string;
  readonly nodeName?: string;
}

export class PodStore {
  private readonly byKey = new Map<string, CachedPod>();
  private readonly byNode = new Map<string, Set<string>>();
  /** Counts every change, so that an answer built from the store knows when it is stale. */
  private changes = 0;

  revision(): number {
    return this.changes;
  }

  upsert(pod: CachedPod): void {
    this.changes += 1;
    const key = keyOf(pod.metadata.namespace, pod.metadata.name);
    const previous = this.byKey.get(key);
    if (previous !== undefined) this.unindex(key, nodeNameOf(previous));
    this.byKey.set(key, pod);
    const node = nodeNameOf(pod);
    let keys = this.byNode.get(node);
    if (keys === undefined) this.byNode.set(node, (keys = new Set()));
    keys.add(key);
  }

  delete(pod: Pick<CachedPod, 'metadata'>): void {
    const key = keyOf(pod.metadata.namespace, pod.metadata.name);
    const previous = this.byKey.get(key);
    if (previous === undefined) return;
    this.changes += 1;
    this.byKey.delete(key);
    this.unindex(key, nodeNameOf(previous));
  }

  get(namespace: string, name: string): CachedPod | undefined {
    return this.byKey.get(keyOf(namespace, name));
  }

  size(): number {
    return this.byKey.size;
  }

  /** Sorted by namespace, then name: the same cache gives the same answer. */
  list(filter: PodFilter): CachedPod[] {
    const candidates =
      filter.nodeName === undefined
        ? this.byKey.values()
        : [...(this.byNode.get(filter.nodeName) ?? [])].map((key) => this.byKey.get(key) as CachedPod);
    const pods: CachedPod[] = [];
    for (const pod of candidates) {
      if (filter.namespace === undefined || pod.metadata.namespace === filter.namespace) pods.push(pod);
    }
    return pods.sort(
      (a, b) =>
        compare(a.metadata.namespace, b.metadata.namespace) || compare(a.metadata.name, b.metadata.name),
    );
  }

  private unindex(key: string, node: string): void {
    const keys = this.byNode.get(node);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.byNode.delete(node);
  }
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
