// The order of a container's envs after injection (SPEC §5): Kubernetes expands `$(NAME)` only to an env
// defined earlier in the same container, so an injected env moves after the envs it references — and no
// further. Linear in the number of envs and references (SPEC §15): the strongly connected components of
// the reference graph are found once (Tarjan), the edges inside a component — a cycle, which no order can
// satisfy — are ignored so that those envs keep their given order, and the rest is placed by Kahn's
// algorithm, always taking the earliest ready env (a binary heap of indexes).

import { envReferences } from './env-references.ts';
import type { EnvVar } from './types.ts';

/**
 * A stable topological order: the container's own envs keep their order (each waits for the previous
 * one), the movable envs (new ones and a merged DD_TAGS) wait for the envs they reference, and at every
 * step the earliest ready env goes next.
 */
export function orderByReferences(
  own: readonly EnvVar[],
  added: readonly EnvVar[],
  merged: EnvVar | undefined,
): EnvVar[] {
  // With none of the container's own envs movable, they all come first, in their order: each is ready
  // as soon as the one before it is placed and has a smaller index than every new env. What they define
  // is then always defined before the new envs, and a cycle can only be among the new envs, so only the
  // new envs need ordering — a container with 10,000 envs costs nothing more than one with none.
  if (merged === undefined && own.length > 0) return [...own, ...orderByReferences([], added, undefined)];
  const all = [...own, ...added];
  const prerequisites = buildPrerequisites(all, own.length, merged);
  if (prerequisites === undefined) return all;
  // Cycles are rare: try without looking for them, and only when some env could not be placed, find the
  // components and ignore the edges inside them. With no cycle both give the same order.
  return (
    placeEarliestFirst(all, prerequisites, undefined) ??
    (placeEarliestFirst(all, prerequisites, stronglyConnectedComponents(prerequisites)) as EnvVar[])
  );
}

/** For each env, the indexes it must follow; undefined when no movable env references another env. */
function buildPrerequisites(
  all: readonly EnvVar[],
  ownCount: number,
  merged: EnvVar | undefined,
): number[][] | undefined {
  const indexesByName = new Map<string, number[]>();
  all.forEach((env, index) => {
    const indexes = indexesByName.get(env.name);
    if (indexes === undefined) indexesByName.set(env.name, [index]);
    else indexes.push(index);
  });
  const prerequisites: number[][] = all.map(() => []);
  let referencesAny = false;
  let previousFixed = -1;
  all.forEach((env, index) => {
    const movable = index >= ownCount || env === merged;
    if (!movable) {
      if (previousFixed !== -1) prerequisites[index]?.push(previousFixed);
      previousFixed = index;
      return;
    }
    if (typeof env.value !== 'string') return;
    for (const name of new Set(envReferences(env.value))) {
      for (const other of indexesByName.get(name) ?? []) {
        if (other === index) continue;
        prerequisites[index]?.push(other);
        referencesAny = true;
      }
    }
  });
  return referencesAny ? prerequisites : undefined;
}

/** The component id of every node (iterative Tarjan: a long chain of own envs must not overflow the stack). */
function stronglyConnectedComponents(edges: readonly (readonly number[])[]): Int32Array {
  const count = edges.length;
  const order = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const component = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const callStack: number[] = [];
  const nextEdge = new Int32Array(count);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < count; root += 1) {
    if (order[root] !== -1) continue;
    callStack.push(root);
    while (callStack.length > 0) {
      const node = callStack[callStack.length - 1] as number;
      if (order[node] === -1) {
        order[node] = counter;
        low[node] = counter;
        counter += 1;
        stack.push(node);
        onStack[node] = 1;
      }
      const targets = edges[node] ?? [];
      const edgeIndex = nextEdge[node] as number;
      if (edgeIndex < targets.length) {
        nextEdge[node] = edgeIndex + 1;
        const target = targets[edgeIndex] as number;
        if (order[target] === -1) callStack.push(target);
        else if (onStack[target] === 1) low[node] = Math.min(low[node] as number, order[target] as number);
        continue;
      }
      callStack.pop();
      const parent = callStack[callStack.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent] as number, low[node] as number);
      if (low[node] === order[node]) {
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = 0;
          component[member] = components;
        } while (member !== node);
        components += 1;
      }
    }
  }
  return component;
}

/** Kahn's algorithm, earliest index first; undefined when a cycle leaves envs unplaced. */
function placeEarliestFirst(
  all: readonly EnvVar[],
  prerequisites: readonly (readonly number[])[],
  component: Int32Array | undefined,
): EnvVar[] | undefined {
  const waitingFor = new Int32Array(all.length);
  const dependents: number[][] = all.map(() => []);
  prerequisites.forEach((list, index) => {
    for (const prerequisite of list) {
      if (component !== undefined && component[prerequisite] === component[index]) continue;
      waitingFor[index] = (waitingFor[index] as number) + 1;
      dependents[prerequisite]?.push(index);
    }
  });
  const ready = new MinHeap();
  waitingFor.forEach((count, index) => {
    if (count === 0) ready.push(index);
  });
  const ordered: EnvVar[] = [];
  while (ready.size > 0) {
    const next = ready.pop();
    ordered.push(all[next] as EnvVar);
    for (const dependent of dependents[next] ?? []) {
      waitingFor[dependent] = (waitingFor[dependent] as number) - 1;
      if (waitingFor[dependent] === 0) ready.push(dependent);
    }
  }
  return ordered.length === all.length ? ordered : undefined;
}

class MinHeap {
  readonly #items: number[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(value: number): void {
    const items = this.#items;
    items.push(value);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if ((items[parent] as number) <= value) break;
      items[child] = items[parent] as number;
      child = parent;
    }
    items[child] = value;
  }

  pop(): number {
    const items = this.#items;
    const top = items[0] as number;
    const last = items.pop() as number;
    if (items.length === 0) return top;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const smaller =
        right < items.length && (items[right] as number) < (items[left] as number) ? right : left;
      if ((items[smaller] as number) >= last) break;
      items[parent] = items[smaller] as number;
      parent = smaller;
    }
    items[parent] = last;
    return top;
  }
}
