import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PathTree, PathWalk } from './path-tree.ts';

/** The relation the tree is built on. */
function isBelow(inner: string, outer: string): boolean {
  return inner.startsWith(`${outer}/`);
}

function build(paths: readonly string[]): PathTree<{ inserted: boolean }> {
  const tree = new PathTree(() => ({ inserted: false }));
  for (const path of paths) tree.insert(path).data.inserted = true;
  return tree;
}

function walk(tree: PathTree<{ inserted: boolean }>, path: string) {
  const walked = new PathWalk<{ inserted: boolean }>();
  walked.above.push(...build(['/stale/a/b/c/d']).nodes()); // stale entries past `count` must not matter
  const at = tree.walk(path, walked);
  return {
    at: at?.path,
    above: walked
      .nodes()
      .filter((node) => node.data.inserted)
      .map((node) => node.path),
  };
}

describe('PathTree', () => {
  const tree = build(['/var/log/app', '/var/log', '/srv/a/b', '/srv/c', '/var/logs']);

  const cases = [
    { path: '/var/log/app', at: '/var/log/app', above: ['/var/log'] },
    { path: '/var/log/app/x', at: undefined, above: ['/var/log', '/var/log/app'] },
    { path: '/var/log/ap', at: undefined, above: ['/var/log'] },
    { path: '/var', at: '/var', above: [] },
    { path: '/srv', at: '/srv', above: [] },
    { path: '/srv/a', at: '/srv/a/b', above: [] },
    { path: '/srv/a/b/c', at: undefined, above: ['/srv/a/b'] },
    { path: '/var/logs/x', at: undefined, above: ['/var/logs'] },
    { path: '/etc', at: undefined, above: [] },
    { path: '', at: '', above: [] },
  ];
  for (const { path, at, above } of cases) {
    it(`walks to ${JSON.stringify(path)}`, () => {
      const found = walk(tree, path);
      // `at` is the node at the path or the topmost node below it (a branch point, when not inserted).
      assert.equal(found.at, at);
      assert.deepEqual(found.above, above);
    });
  }

  it('keeps a node per inserted path or branch point only, however deep the paths', () => {
    const deep = build(['/a'.repeat(100_000), `${'/a'.repeat(100_000)}/b`, '/a/c']);
    assert.ok(deep.nodes().length <= 5, `${deep.nodes().length} nodes`);
    assert.deepEqual(walk(deep, `${'/a'.repeat(100_000)}/b/x`).above, [
      '/a'.repeat(100_000),
      `${'/a'.repeat(100_000)}/b`,
    ]);
  });

  it('finds what comparing with every path finds, for any paths', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '/'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 8 }), text, (paths, query) => {
        const tree = build(paths);
        const found = walk(tree, query);
        const unique = [...new Set(paths)];
        const expectedAbove = unique
          .filter((path) => isBelow(query, path))
          .sort((a, b) => a.length - b.length);
        assert.deepEqual(found.above, expectedAbove);
        const below = unique.filter((path) => path === query || isBelow(path, query));
        if (unique.includes(query)) assert.equal(found.at, query);
        if (below.length === 0) {
          assert.ok(found.at === undefined || !unique.includes(found.at), String(found.at));
        } else {
          // Every inserted path at or below the query is at or below the node found, which is itself at
          // or below the query.
          const at = found.at;
          assert.ok(at !== undefined && (at === query || isBelow(at, query)), String(at));
          for (const path of below) assert.ok(path === at || isBelow(path, at), `${path} not under ${at}`);
        }
        // Every node is an inserted path or a branch point, below the nodes above it.
        for (const node of tree.nodes()) {
          assert.ok(node.data.inserted || node.children.size >= 2, `useless node ${node.path}`);
          for (const child of node.children.values()) assert.ok(isBelow(child.path, node.path));
        }
      }),
      { numRuns: 5_000 },
    );
  });
});
