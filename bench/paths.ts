// Paths relative to the checkout the bench runs in, so that a copy of bench/ in another worktree (the
// "before" figures) measures that worktree's code and build.

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BENCH_DIR = join(REPO_ROOT, 'bench');
export const BUILT_MAIN = join(REPO_ROOT, 'dist', 'main.js');
export const JAVA_REVIEW_EXAMPLE = join(REPO_ROOT, 'examples', 'admission-review-java.json');
