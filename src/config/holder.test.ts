import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigHolder } from './holder.ts';
import { resolveConfig } from './schema.ts';
import type { OperatorConfig } from './types.ts';

function configWith(document: unknown): OperatorConfig {
  const result = resolveConfig(document);
  assert.ok(result.ok);
  return result.config;
}

describe('ConfigHolder', () => {
  const first = configWith({ log_level: 'info' });
  const second = configWith({ log_level: 'debug' });

  it('returns the initial snapshot until it is replaced, then the new one', () => {
    const holder = new ConfigHolder(first);
    const snapshot = holder.get();
    holder.replace(second);
    assert.equal(holder.get(), second);
    assert.equal(snapshot, first, 'a snapshot taken before the swap keeps the old config');
    assert.equal(snapshot.log_level, 'info');
  });

  it('tells listeners the new and the previous config, after the swap', () => {
    const holder = new ConfigHolder(first);
    const seen: [OperatorConfig, OperatorConfig, OperatorConfig][] = [];
    holder.onChange((next, previous) => seen.push([next, previous, holder.get()]));
    holder.replace(second);
    assert.deepEqual(seen, [[second, first, second]]);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const holder = new ConfigHolder(first);
    let calls = 0;
    const unsubscribe = holder.onChange(() => calls++);
    holder.replace(second);
    unsubscribe();
    holder.replace(first);
    assert.equal(calls, 1);
  });

  it('keeps two subscriptions of one function apart', () => {
    const holder = new ConfigHolder(first);
    let calls = 0;
    const listener = (): void => {
      calls++;
    };
    const unsubscribeFirst = holder.onChange(listener);
    holder.onChange(listener);
    unsubscribeFirst();
    holder.replace(second);
    assert.equal(calls, 1);
  });
});
