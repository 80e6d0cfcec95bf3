// A binary min-heap of keys whose order may change: `update` re-sifts one key after its priority changed
// and `delete` removes any key, both in O(log n). The task election keeps its shares (lightest first) and
// its members' liveness deadlines (soonest first) in these, so that no poll scans every DataKit.

export class IndexedHeap<K> {
  readonly #keys: K[] = [];
  readonly #positions = new Map<K, number>();
  /** Negative when `a` comes first; read when sifting, so priorities live with the caller. */
  readonly #compare: (a: K, b: K) => number;

  constructor(compare: (a: K, b: K) => number) {
    this.#compare = compare;
  }

  peek(): K | undefined {
    return this.#keys[0];
  }

  /** Inserts `key`, or moves it to its place after its priority changed. */
  update(key: K): void {
    const position = this.#positions.get(key);
    if (position === undefined) {
      this.#keys.push(key);
      this.#positions.set(key, this.#keys.length - 1);
      this.#siftUp(this.#keys.length - 1);
      return;
    }
    this.#siftDown(this.#siftUp(position));
  }

  delete(key: K): void {
    const position = this.#positions.get(key);
    if (position === undefined) return;
    const last = this.#keys.pop()!;
    this.#positions.delete(key);
    if (position === this.#keys.length) return;
    this.#keys[position] = last;
    this.#positions.set(last, position);
    this.#siftDown(this.#siftUp(position));
  }

  #siftUp(start: number): number {
    let position = start;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      if (this.#compare(this.#keys[position]!, this.#keys[parent]!) >= 0) break;
      this.#swap(position, parent);
      position = parent;
    }
    return position;
  }

  #siftDown(start: number): void {
    let position = start;
    for (;;) {
      const left = 2 * position + 1;
      const right = left + 1;
      let first = position;
      if (left < this.#keys.length && this.#compare(this.#keys[left]!, this.#keys[first]!) < 0) first = left;
      if (right < this.#keys.length && this.#compare(this.#keys[right]!, this.#keys[first]!) < 0)
        first = right;
      if (first === position) return;
      this.#swap(position, first);
      position = first;
    }
  }

  #swap(a: number, b: number): void {
    const keyA = this.#keys[a]!;
    const keyB = this.#keys[b]!;
    this.#keys[a] = keyB;
    this.#keys[b] = keyA;
    this.#positions.set(keyB, a);
    this.#positions.set(keyA, b);
  }
}
