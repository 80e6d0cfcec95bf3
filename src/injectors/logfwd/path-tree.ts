// A radix tree of `/`-separated paths, so that "which of these paths lie above or below that one" costs
// time linear in the length of the path asked about (SPEC §15), however many paths the tree holds and
// however deep they are. A path is below another when it starts with the other and a `/`
// (`inner.startsWith(outer + "/")`, as `isInside` decides it for every path but "/"); every path is below
// the tree's root, which stands for no path.
//
// Nodes are only the paths inserted and the points where they branch, so a tree of n paths has fewer than
// 2n nodes whatever their depth; an edge is labelled with the whole segments between two nodes and the
// walk compares labels as strings. (A tree with one node per segment would have one node per `/` of every
// path: a million for one hostile two-megabyte path.)

const SLASH = 0x2f;

export class PathTreeNode<T> {
  /** The children, by the first segment of their label. */
  readonly children = new Map<string, PathTreeNode<T>>();
  /** The child when there is exactly one: the walk then compares labels without cutting out a key. */
  only: PathTreeNode<T> | undefined = undefined;

  constructor(
    /** The whole path of this node. */
    readonly path: string,
    /** The part of the path below the parent: the parent's path, a `/`, then this. */
    public label: string,
    readonly data: T,
  ) {}
}

function setChild<T>(node: PathTreeNode<T>, key: string, child: PathTreeNode<T>): void {
  node.children.set(key, child);
  node.only = node.children.size === 1 ? child : undefined;
}

/** The segment of `path` that starts at `start`: up to the next `/` or the end. */
function segmentAt(path: string, start: number): string {
  const end = path.indexOf('/', start);
  return path.slice(start, end === -1 ? path.length : end);
}

/** The nodes above the path of the last walk: `above[0 .. count - 1]`, top first (the rest is stale). */
export class PathWalk<T> {
  readonly above: PathTreeNode<T>[] = [];
  count = 0;

  /** The nodes above, as a new array. */
  nodes(): PathTreeNode<T>[] {
    return this.above.slice(0, this.count);
  }
}

export class PathTree<T> {
  private readonly root: PathTreeNode<T>;

  constructor(private readonly createData: () => T) {
    this.root = new PathTreeNode('', '', createData());
  }

  /** The node of `path`, added (and an edge split for it) when the tree does not hold it yet. */
  insert(path: string): PathTreeNode<T> {
    let node = this.root;
    let start = 0;
    for (;;) {
      const key = segmentAt(path, start);
      const child = node.children.get(key);
      if (child === undefined) {
        const leaf = new PathTreeNode(path, path.slice(start), this.createData());
        setChild(node, key, leaf);
        return leaf;
      }
      const label = child.label;
      const rest = path.length - start;
      const max = Math.min(label.length, rest);
      let common = 0;
      while (common < max && label.charCodeAt(common) === path.charCodeAt(start + common)) common += 1;
      if (common === label.length) {
        if (common === rest) return child;
        if (path.charCodeAt(start + common) === SLASH) {
          node = child;
          start += common + 1;
          continue;
        }
      }
      // The path leaves the edge to `child`: split the edge at the last segment boundary both share. Both
      // start with `key`, so that boundary is at `key.length` or later.
      const cut =
        common === rest && label.charCodeAt(common) === SLASH ? common : label.lastIndexOf('/', common - 1);
      const middle = new PathTreeNode(path.slice(0, start + cut), label.slice(0, cut), this.createData());
      child.label = label.slice(cut + 1);
      setChild(middle, segmentAt(child.label, 0), child);
      setChild(node, key, middle);
      if (start + cut === path.length) return middle;
      node = middle;
      start += cut + 1;
    }
  }

  /**
   * Walks towards `path`. Fills `walk` with the nodes strictly above it, top first, and returns the node
   * at `path`, or else the topmost node below it when there is one (every node below `path` is then at
   * or below that node), or undefined. `walk` is reused from call to call: nothing is allocated per walk.
   */
  walk(path: string, walk: PathWalk<T>): PathTreeNode<T> | undefined {
    walk.count = 0;
    let node = this.root;
    let start = 0;
    for (;;) {
      // With one child, the label comparisons below decide alone: only the child whose first segment
      // is the path's can pass them.
      const child =
        node.children.size === 0 ? undefined : (node.only ?? node.children.get(segmentAt(path, start)));
      if (child === undefined) return undefined;
      const label = child.label;
      const rest = path.length - start;
      if (rest === label.length) return path.startsWith(label, start) ? child : undefined;
      if (rest > label.length) {
        if (path.charCodeAt(start + label.length) !== SLASH || !path.startsWith(label, start))
          return undefined;
        walk.above[walk.count++] = child;
        node = child;
        start += label.length + 1;
        continue;
      }
      // The path may end inside the edge to `child`, at a segment boundary.
      return label.charCodeAt(rest) === SLASH && label.startsWith(path.slice(start)) ? child : undefined;
    }
  }

  /** Every node, each after the nodes above it. */
  nodes(): PathTreeNode<T>[] {
    const order: PathTreeNode<T>[] = [];
    const pending = [...this.root.children.values()];
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      order.push(node);
      for (const child of node.children.values()) pending.push(child);
    }
    return order;
  }
}
