import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Registry } from 'prom-client';
import { ScrapeTimeCounts } from './scrape-time-counts.ts';

async function seriesOf(counter: Counter<string>): Promise<Record<string, number>> {
  const series: Record<string, number> = {};
  for (const value of (await counter.get()).values) series[JSON.stringify(value.labels)] = value.value;
  return series;
}

function counterFor<L extends string>(counts: ScrapeTimeCounts<L>): Counter<L> {
  return new Counter({
    name: 'test_total',
    help: 'test',
    labelNames: counts.labelNames,
    registers: [new Registry()],
    collect() {
      counts.writeTo(this);
    },
  });
}

describe('ScrapeTimeCounts', () => {
  const cases: {
    name: string;
    labels: readonly string[];
    events: readonly (readonly string[])[];
    expected: Record<string, number>;
  }[] = [
    { name: 'no event: no series', labels: ['result'], events: [], expected: {} },
    {
      name: 'one label: a count per value',
      labels: ['result'],
      events: [['mutated'], ['unchanged'], ['mutated']],
      expected: { '{"result":"mutated"}': 2, '{"result":"unchanged"}': 1 },
    },
    {
      name: 'three labels: series that share a prefix stay apart',
      labels: ['feature', 'outcome', 'reason'],
      events: [
        ['ddtrace', 'skipped', 'not-targeted'],
        ['ddtrace', 'skipped', 'opted-out'],
        ['ddtrace', 'injected', 'namespace'],
        ['ddtrace', 'skipped', 'not-targeted'],
        ['logfwd', 'skipped', 'not-targeted'],
      ],
      expected: {
        '{"feature":"ddtrace","outcome":"skipped","reason":"not-targeted"}': 2,
        '{"feature":"ddtrace","outcome":"skipped","reason":"opted-out"}': 1,
        '{"feature":"ddtrace","outcome":"injected","reason":"namespace"}': 1,
        '{"feature":"logfwd","outcome":"skipped","reason":"not-targeted"}': 1,
      },
    },
  ];
  for (const { name, labels, events, expected } of cases) {
    it(name, async () => {
      const counts = new ScrapeTimeCounts(labels);
      for (const [first, second, third] of events) counts.add(first as string, second, third);
      assert.deepEqual(await seriesOf(counterFor(counts)), expected);
    });
  }

  it('reports totals on every scrape, never adding a count twice', async () => {
    const counts = new ScrapeTimeCounts(['result'] as const);
    const counter = counterFor(counts);
    counts.add('mutated');
    assert.deepEqual(await seriesOf(counter), { '{"result":"mutated"}': 1 });
    assert.deepEqual(await seriesOf(counter), { '{"result":"mutated"}': 1 });
    counts.add('mutated');
    assert.deepEqual(await seriesOf(counter), { '{"result":"mutated"}': 2 });
  });

  for (const labels of [[], ['a', 'b', 'c', 'd']]) {
    it(`refuses ${labels.length} labels`, () => {
      assert.throws(() => new ScrapeTimeCounts(labels), /one to three labels/);
    });
  }
});
