// The HTTP part runs the operator as shipped, from dist/: rebuild it when any source is newer.

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_MAIN, REPO_ROOT } from './paths.ts';

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtMs(): number {
  try {
    return statSync(BUILT_MAIN).mtimeMs;
  } catch {
    return 0;
  }
}

/** Runs `npm run build` unless dist/main.js is newer than every source file; throws if the build fails. */
export function ensureBuilt(log: (line: string) => void): string {
  if (builtMs() > newestSourceMs(join(REPO_ROOT, 'src'))) return 'dist/ is current';
  log('  npm run build (dist/ is older than src/)');
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('npm run build failed');
  return 'rebuilt dist/ (npm run build)';
}
