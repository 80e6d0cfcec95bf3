// Preloaded into every test process by scripts/run-tests.mjs: property tests run from a fixed seed, so a
// CI run is reproducible and a red CI means a change broke something, not that chance found an old bug.
// Explore new inputs with PROPERTY_SEED=random (the seed is printed) or PROPERTY_SEED=<number> to replay.

import fc from 'fast-check';

const DEFAULT_SEED = 20261129;

function chooseSeed(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  if (raw === 'random') {
    const seed = Math.floor(Math.random() * 2 ** 31);
    process.stderr.write(`property tests: PROPERTY_SEED=${seed}\n`);
    return seed;
  }
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`PROPERTY_SEED must be an integer or "random", not "${raw}"`);
  return seed;
}

fc.configureGlobal({ seed: chooseSeed(process.env.PROPERTY_SEED) });
