#!/usr/bin/env node
// Runs node's own test runner over the test files of the named tiers.
// Node 20's `node --test` finds no .ts files by itself, so we expand the file list here and
// refuse to run (exit 1) when a tier has no files: a tier that silently runs nothing proves nothing.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

const root = new URL('..', import.meta.url).pathname;

/** Each tier: where its files live and which of them belong to it. */
const tiers = {
  // The product's unit tests, and those of the project's own lint rules.
  unit: { dirs: ['src', 'eslint'], accept: (file) => file.endsWith('.test.ts') },
  golden: { dirs: ['test/golden'], accept: (file) => file.endsWith('.test.ts') },
  property: { dirs: ['test/property'], accept: (file) => file.endsWith('.test.ts') },
  http: { dirs: ['test/http'], accept: (file) => file.endsWith('.test.ts') },
  cli: { dirs: ['test/cli'], accept: (file) => file.endsWith('.test.ts') },
  // Needs helm: CI runs scripts/ensure-helm.sh first; the tests fail (never skip) without it.
  install: { dirs: ['test/install'], accept: (file) => file.endsWith('.test.ts') },
  // DataKit election across modules: the Kubernetes store on a fake API server, HTTP contract, simulated fleets.
  election: { dirs: ['test/election'], accept: (file) => file.endsWith('.test.ts') },
  // Real cluster: builds and starts test/kube-harness (or E2E_KUBECONFIG names a cluster), runs the operator
  // as a child process behind a real MutatingWebhookConfiguration. CI runs it after `npm test`.
  e2e: { dirs: ['test/e2e'], accept: (file) => file.endsWith('.test.ts'), serial: true },
  // Real node (root, Linux): the harness plus a kubelet, containerd, kube-scheduler and kube-proxy
  // (test/kube-node), the manual's journeys with the real kubectl and helm. Installs its apt packages.
  node: { dirs: ['test/node'], accept: (file) => file.endsWith('.test.ts'), serial: true },
};

function walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files = [];
  for (const entry of entries.sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...walk(path));
    else files.push(path);
  }
  return files;
}

const requested = process.argv.slice(2);
if (requested.length === 0) {
  console.error(`usage: run-tests.mjs TIER... (tiers: ${Object.keys(tiers).join(', ')})`);
  process.exit(2);
}

const files = [];
let serial = false;
for (const name of requested) {
  const tier = tiers[name];
  if (!tier) {
    console.error(`unknown test tier "${name}" (known: ${Object.keys(tiers).join(', ')})`);
    process.exit(2);
  }
  const found = tier.dirs.flatMap((dir) => walk(join(root, dir))).filter(tier.accept);
  if (found.length === 0) {
    console.error(`test tier "${name}" has no test files: refusing to report success`);
    process.exit(1);
  }
  files.push(...found.map((file) => relative(root, file)));
  serial ||= tier.serial === true;
}

// Node 20 runs one test file at a time on a 2-core machine (its default is the cores minus one). Many
// files wait on sockets, timers and child processes, so two at a time takes a third off `npm test` there; each file
// is its own process with its own ports and temp dirs. The real-cluster and real-node tiers share one
// cluster and stay one file at a time.
const concurrency = serial ? 1 : Math.max(2, availableParallelism());

// Property tests run from a fixed seed unless PROPERTY_SEED says otherwise (test/support/property-seed.ts).
const preload = ['--import', 'tsx', '--import', './test/support/property-seed.ts'];
const result = spawnSync(
  process.execPath,
  [...preload, '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test' },
  },
);
process.exit(result.status ?? 1);
