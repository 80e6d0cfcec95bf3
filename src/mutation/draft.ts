// The pod being mutated, copy-on-write: the received pod is never written, and only the objects on the
// path to an edit (pod → spec → containers → container i → env) are copied, shallowly, the first time
// they are written. Everything untouched is the received object itself, shared by reference, which is
// what lets the patch be derived by visiting only what changed (admission/patch.ts) and lets a pod that
// no edit touches cost nothing.

import type { Container, Pod } from '../podspec/types.ts';
import type { ContainerRef, Edit } from './plan.ts';

type JsonRecord = Record<string | number, unknown>;

function isObjectLike(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null;
}

export class PodDraft {
  readonly #original: Readonly<Pod>;
  #root: Pod | undefined;
  /** The copies this draft made: safe to write. Anything else is shared with the received pod. */
  readonly #owned = new WeakSet<object>();

  constructor(original: Readonly<Pod>) {
    this.#original = original;
  }

  /** The pod as the applied edits left it; read it, never write it. */
  get pod(): Readonly<Pod> {
    return this.#root ?? this.#original;
  }

  get changed(): boolean {
    return this.#root !== undefined;
  }

  apply(edit: Edit): void {
    switch (edit.kind) {
      case 'add-volume':
        this.#ownArray(this.#ownSpec(), 'volumes').push(edit.volume);
        return;
      case 'add-container':
        this.#ownArray(this.#ownSpec(), edit.list).push(edit.container);
        return;
      case 'add-mount':
        this.#ownArray(this.#ownContainer(edit.target), 'volumeMounts').push(edit.mount);
        return;
      case 'set-env': {
        const env = [...edit.env];
        this.#owned.add(env);
        this.#ownContainer(edit.target).env = env;
        return;
      }
      case 'set-spec-field':
        this.#ownSpec()[edit.field] = edit.value;
        return;
      case 'set-annotation':
        this.setAnnotation(edit.key, edit.value);
        return;
    }
  }

  setAnnotation(key: string, value: string): void {
    const metadata = this.#ownChild(this.#ownRoot(), 'metadata', false);
    this.#ownChild(metadata, 'annotations', false)[key] = value;
  }

  #ownRoot(): JsonRecord {
    if (this.#root === undefined) {
      this.#root = Object.assign({}, this.#original);
      this.#owned.add(this.#root);
    }
    return this.#root;
  }

  #ownSpec(): JsonRecord {
    return this.#ownChild(this.#ownRoot(), 'spec', false);
  }

  #ownContainer(ref: ContainerRef): Container {
    const list = this.#ownArray(this.#ownSpec(), ref.list);
    if (!isObjectLike(list[ref.index])) {
      throw new Error(`spec.${ref.list}[${ref.index}] is not a container object`);
    }
    return this.#ownChild(list as unknown as JsonRecord, ref.index, false) as Container;
  }

  #ownArray(parent: JsonRecord, key: string): unknown[] {
    return this.#ownChild(parent, key, true) as unknown as unknown[];
  }

  /** `parent[key]` as an object this draft may write: copied on first write, created when missing. */
  #ownChild(parent: JsonRecord, key: string | number, array: boolean): JsonRecord {
    const current = parent[key];
    if (isObjectLike(current) && this.#owned.has(current)) return current;
    if (current !== undefined && current !== null && !isObjectLike(current)) {
      throw new Error(`field "${String(key)}" of the pod is a ${typeof current}, not an object`);
    }
    if (current !== undefined && current !== null && Array.isArray(current) !== array) {
      throw new Error(`field "${String(key)}" of the pod is ${array ? 'not an array' : 'an array'}`);
    }
    // Object.assign, not a spread: this one site copies pods, specs, containers and annotations, and at
    // such a (megamorphic) site node 20's spread gives copies whose added fields (initContainers, the
    // status annotations) make a new hidden class on every request, which then slows every later access
    // and JSON.stringify of them (about a tenth of a java admission's server time in the bench profile).
    const copy = array
      ? [...((current as unknown[] | null | undefined) ?? [])]
      : Object.assign({}, current as JsonRecord | null | undefined);
    this.#owned.add(copy);
    parent[key] = copy;
    return copy as JsonRecord;
  }
}
