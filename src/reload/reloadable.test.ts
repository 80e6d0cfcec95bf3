import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReloadableValue, fixedValue } from './reloadable.ts';

interface Snapshot {
  readonly level: string;
}

describe('ReloadableValue', () => {
  const first: Snapshot = Object.freeze({ level: 'info' });
  const second: Snapshot = Object.freeze({ level: 'debug' });

  it('returns the initial snapshot until it is replaced, then the new one', () => {
    const holder = new ReloadableValue(first);
    const snapshot = holder.current();
    holder.replace(second);
    assert.equal(holder.current(), second);
    assert.equal(snapshot, first, 'a snapshot taken before the swap keeps the old config');
    assert.equal(snapshot.level, 'info');
  });

  it('tells listeners the new and the previous config, after the swap', () => {
    const holder = new ReloadableValue(first);
    const seen: [Snapshot, Snapshot, Snapshot][] = [];
    holder.onChange((next, previous) => seen.push([next, previous, holder.current()]));
    holder.replace(second);
    assert.deepEqual(seen, [[second, first, second]]);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const holder = new ReloadableValue(first);
    let calls = 0;
    const unsubscribe = holder.onChange(() => calls++);
    holder.replace(second);
    unsubscribe();
    holder.replace(first);
    assert.equal(calls, 1);
  });

  it('keeps two subscriptions of one function apart', () => {
    const holder = new ReloadableValue(first);
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

  it('drops the listeners and stops its source when closed', () => {
    let stopped = 0;
    const holder = new ReloadableValue(first, () => stopped++);
    let calls = 0;
    holder.onChange(() => calls++);
    holder.close();
    holder.replace(second);
    assert.equal(calls, 0);
    assert.equal(stopped, 1);
  });
});

describe('fixedValue', () => {
  it('always returns the same value and never calls a listener', () => {
    const fixed = fixedValue({ level: 'info' });
    let calls = 0;
    fixed.onChange(() => calls++)();
    fixed.close();
    assert.deepEqual(fixed.current(), { level: 'info' });
    assert.equal(calls, 0);
  });
});
