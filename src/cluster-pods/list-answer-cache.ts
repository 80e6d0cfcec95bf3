// The serialised answers of pod lists, kept until the pod cache changes (SPEC §15). Any pod may call the
// unauthenticated trimmed list, and building it costs work linear in the cluster's pods on the event loop
// the webhook shares; with this cache a flood of identical requests costs one build per change of the pod
// cache, not one per request. The entries are bounded: the keys are few in a real cluster (the lists of all
// pods, of each namespace and of each node), and when a caller makes up more of them the cache starts over.

import type { PodQuery, PodRoute } from './pod-request.ts';

export const MAX_CACHED_LIST_ANSWERS = 256;

interface Entry {
  readonly revision: number;
  readonly text: string;
}

export class ListAnswerCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(maxEntries = MAX_CACHED_LIST_ANSWERS) {
    this.#maxEntries = maxEntries;
  }

  /** The key of a list request; undefined for one pod (cheap already, never cached). */
  static keyOf(route: PodRoute, query: PodQuery): string | undefined {
    if (route.kind === 'pod') return undefined;
    const namespace = route.kind === 'namespace' ? route.namespace : '';
    return [route.kind, namespace, query.nodeName ?? '', query.view].join('\u0000');
  }

  /** The answer stored for this key at this revision of the pod cache, if any. */
  get(key: string, revision: number): string | undefined {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.revision === revision ? entry.text : undefined;
  }

  set(key: string, revision: number, text: string): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(key, { revision, text });
  }

  get size(): number {
    return this.#entries.size;
  }
}
