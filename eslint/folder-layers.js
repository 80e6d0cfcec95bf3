// An eslint rule: the folders of src/ import only downwards (issue 13). Each folder has a layer; a module may
// import from its own folder or from a folder of a lower layer, never from a higher one or from another
// folder of the same layer — so no folder import can form a cycle. Tests (*.test.ts) may reach anywhere.

import { dirname, relative, resolve } from 'node:path';

/** Bottom first. Folders of one layer are independent of each other. */
export const FOLDER_LAYERS = [
  // The error vocabulary (codes, Problem, Result) that every folder reports in, HTTP bodies included.
  ['errors'],
  ['text', 'http'],
  ['podspec'],
  ['matching'],
  ['reload'],
  ['config'],
  ['kube'],
  ['mutation'],
  ['injectors'],
  ['admission'],
  ['workloads'],
  ['certs'],
  // Features with routes of their own, independent of each other.
  ['election', 'logging-configs', 'cluster-pods'],
  ['cluster-apis'],
  ['server'],
  ['app'],
  ['cli'],
  ['.'],
];

const layerOf = new Map(FOLDER_LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer])));

function folderOf(srcRoot, file) {
  const parts = relative(srcRoot, file).split('/');
  return parts.length === 1 ? '.' : parts[0];
}

export const folderLayersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'folders of src/ import only from lower layers (see eslint/folder-layers.js)' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const srcRoot = resolve(context.cwd, 'src');
    if (relative(srcRoot, file).startsWith('..') || file.endsWith('.test.ts')) return {};
    const own = folderOf(srcRoot, file);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      if (relative(srcRoot, target).startsWith('..')) return;
      const other = folderOf(srcRoot, target);
      if (other === own) return;
      const ownLayer = layerOf.get(own);
      const otherLayer = layerOf.get(other);
      if (ownLayer === undefined || otherLayer === undefined) {
        const missing = ownLayer === undefined ? own : other;
        context.report({
          node,
          message: `src/${missing}/ has no layer: add it to FOLDER_LAYERS in eslint/folder-layers.js`,
        });
      } else if (otherLayer >= ownLayer) {
        const why = otherLayer === ownLayer ? 'a folder of the same layer' : 'a higher layer';
        context.report({
          node,
          message: `src/${own}/ may not import src/${other}/ (${why}): folders import only downwards; see eslint/folder-layers.js`,
        });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
