import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildEnvVar, configuredEnvOrder, mergeEnvs } from './env.ts';
import { orderByReferences } from './env-order.ts';
import { envReferences } from './env-references.ts';
import type { EnvVar } from './types.ts';

/** The quadratic implementation this module replaced, kept as the oracle of the property below. */
function referenceOrder(
  own: readonly EnvVar[],
  added: readonly EnvVar[],
  merged: EnvVar | undefined,
): EnvVar[] {
  const all = [...own, ...added];
  const prerequisites: number[][] = all.map(() => []);
  let previousFixed = -1;
  all.forEach((env, index) => {
    const movable = index >= own.length || env === merged;
    if (!movable) {
      if (previousFixed !== -1) prerequisites[index]?.push(previousFixed);
      previousFixed = index;
      return;
    }
    const referenced = new Set(typeof env.value === 'string' ? envReferences(env.value) : []);
    all.forEach((other, otherIndex) => {
      if (otherIndex !== index && referenced.has(other.name)) prerequisites[index]?.push(otherIndex);
    });
  });
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    const stack = [from];
    while (stack.length > 0) {
      const current = stack.pop() as number;
      if (current === to) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      stack.push(...(prerequisites[current] ?? []));
    }
    return false;
  };
  const cyclic = prerequisites.map((list, index) => list.filter((p) => reaches(p, index)));
  cyclic.forEach((drop, index) => {
    if (drop.length > 0) prerequisites[index] = (prerequisites[index] ?? []).filter((p) => !drop.includes(p));
  });
  const placed = all.map(() => false);
  const ordered: EnvVar[] = [];
  while (ordered.length < all.length) {
    let next = all.findIndex((_, i) => !placed[i] && (prerequisites[i] ?? []).every((p) => placed[p]));
    if (next === -1) next = placed.indexOf(false);
    placed[next] = true;
    ordered.push(all[next] as EnvVar);
  }
  return ordered;
}

const NAMES = ['A', 'B', 'C', 'D', 'E', 'F'];
const value = fc
  .array(
    fc.oneof(
      fc.constantFrom(...NAMES).map((name) => `$(${name})`),
      fc.constantFrom('x', '$$(A)', '-'),
    ),
    {
      maxLength: 4,
    },
  )
  .map((parts) => parts.join(''));
const env = fc.record({ name: fc.constantFrom(...NAMES), value });

describe('orderByReferences', () => {
  it('places an injected env after the envs it references, and no further', () => {
    const own = [{ name: 'A', value: 'a' }];
    const added = [
      { name: 'TAGS', value: 'pod:$(POD)' },
      { name: 'POD', value: 'p' },
    ];
    assert.deepEqual(
      orderByReferences(own, added, undefined).map((e) => e.name),
      ['A', 'POD', 'TAGS'],
    );
  });

  it('keeps envs on a reference cycle in their given order', () => {
    const added = [
      { name: 'X', value: '$(Y)' },
      { name: 'Y', value: '$(X)' },
    ];
    assert.deepEqual(
      orderByReferences([], added, undefined).map((e) => e.name),
      ['X', 'Y'],
    );
  });

  it('orders thousands of mutually referencing envs without recursion', () => {
    const added = Array.from({ length: 5000 }, (_, i) => ({ name: `E${i}`, value: `$(E${(i + 1) % 5000})` }));
    assert.equal(orderByReferences([], added, undefined).length, 5000);
  });

  it('gives the same order as the quadratic algorithm it replaced (own, added, merged DD_TAGS, cycles)', () => {
    fc.assert(
      fc.property(
        fc.array(env, { maxLength: 6 }),
        fc.array(env, { maxLength: 6 }),
        fc.option(fc.nat(5), { nil: undefined }),
        (own, added, mergedAt) => {
          const merged = mergedAt === undefined ? undefined : own[mergedAt];
          assert.deepEqual(orderByReferences(own, added, merged), referenceOrder(own, added, merged));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('mergeEnvs with the order decided once for the config', () => {
  const configured = fc
    .uniqueArray(env, { selector: (entry) => entry.name, maxLength: 6 })
    .map((entries) => Object.freeze(entries.map((entry) => Object.freeze(entry))));

  it('gives the same env list as ordering per container', () => {
    fc.assert(
      fc.property(fc.array(env, { maxLength: 4 }), configured, (own, config) => {
        const built = config.map((entry) => buildEnvVar(entry, 'app'));
        assert.deepEqual(mergeEnvs(own, built, configuredEnvOrder(config)), mergeEnvs(own, built));
      }),
      { numRuns: 3000 },
    );
  });

  it('is decided once per loaded config', () => {
    const config = Object.freeze([
      Object.freeze({ name: 'A', value: '$(B)' }),
      Object.freeze({ name: 'B', value: 'b' }),
    ]);
    assert.equal(configuredEnvOrder(config), configuredEnvOrder(config));
    assert.deepEqual(configuredEnvOrder(config), [1, 0]);
  });
});
