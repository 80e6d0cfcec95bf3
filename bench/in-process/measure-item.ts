// Child process: measures one corpus item in-process and prints one result line. One process per item
// so that a pathological item can be abandoned (a synchronous call cannot be interrupted from inside)
// and so that no item inherits another's heap.
//
// usage: node --import tsx bench/in-process/measure-item.ts ITEM [--quick]

import { performance } from 'node:perf_hooks';
import { corpusItem } from '../corpus/catalog.ts';
import { benchMode } from '../mode.ts';
import { maximum, median } from '../stats.ts';
import {
  baselineCall,
  benchDeps,
  describeOutcome,
  oursCall,
  type DecideCall,
  type LastDecision,
} from './decide-call.ts';
import { FIRST_CALL_MARKER, RESULT_LINE_PREFIX, type ItemResult } from './item-result.ts';

/** Calls of the java pod before the item: the item then meets a warm server, as in production. */
const WARMUP_CALLS = 300;
/** Typical items: this share of the budget is spent warming up on the item itself and not counted. */
const TYPICAL_WARMUP_SHARE = 0.25;
const MAX_CALLS = 20_000;
/** Adversarial items are repeated at least this often (full mode) when they are not blocking. */
const MIN_ADVERSARIAL_CALLS = 3;

interface Timed {
  readonly ms: number;
  readonly thrown?: Error;
}

function timeCall(call: DecideCall, text: string): Timed {
  const started = performance.now();
  try {
    call(text);
    return { ms: performance.now() - started };
  } catch (thrown) {
    const ms = performance.now() - started;
    return { ms, thrown: thrown instanceof Error ? thrown : new Error(String(thrown)) };
  }
}

function outcomeOf(timed: Timed, last: LastDecision): string {
  // Thrown out of the decide call: JSON.parse refusing the body (the server answers 400) or a bug.
  return timed.thrown
    ? `threw ${timed.thrown.name}: ${timed.thrown.message.slice(0, 60)}`
    : describeOutcome(last);
}

/** The java pod under the typical config: an item's own config may make every pod slow (its point). */
function warmUp(): void {
  const warmup = oursCall(benchDeps('typical'), {});
  const text = corpusItem('java-pod').body();
  for (let index = 0; index < WARMUP_CALLS; index += 1) {
    warmup(text);
    baselineCall(text);
  }
}

interface Series {
  readonly oursMs: number[];
  readonly baselineMs: number[];
}

/** Calls ours and the baseline alternately (both see the same load, GC state and CPU clock). */
function repeat(ours: DecideCall, text: string, budgetMs: number, minCalls: number): Series {
  const series: Series = { oursMs: [], baselineMs: [] };
  const until = performance.now() + budgetMs;
  while ((performance.now() < until || series.oursMs.length < minCalls) && series.oursMs.length < MAX_CALLS) {
    series.oursMs.push(timeCall(ours, text).ms);
    series.baselineMs.push(timeCall(baselineCall, text).ms);
  }
  return series;
}

function main(): void {
  const name = process.argv[2];
  if (name === undefined) throw new Error('usage: measure-item.ts ITEM [--quick]');
  const mode = benchMode(process.argv.slice(3), process.env);
  const item = corpusItem(name);
  const text = item.body();
  const bytes = Buffer.byteLength(text);
  const last: LastDecision = {};
  const ours = oursCall(benchDeps(item.config), last);
  warmUp();

  // From here on, a child that does not answer is blocked in the code under test, not in the bench.
  process.stdout.write(FIRST_CALL_MARKER + '\n');
  const first = timeCall(ours, text);
  const outcome = outcomeOf(first, last);
  if (item.kind === 'adversarial' && first.ms > mode.blockedAfterMs) {
    report({ status: 'blocked', name, bytes, firstMs: first.ms, outcome });
    return;
  }
  const firstBaseline = timeCall(baselineCall, text);

  const budgetMs = item.kind === 'typical' ? mode.typicalBudgetMs : mode.adversarialBudgetMs;
  if (item.kind === 'typical') repeat(ours, text, budgetMs * TYPICAL_WARMUP_SHARE, 1);
  // Quick mode only proves that the item runs: a slow adversarial item is not repeated.
  const minCalls = item.kind === 'typical' ? 1 : mode.quick ? 0 : MIN_ADVERSARIAL_CALLS;
  const measured = repeat(ours, text, budgetMs, minCalls);
  const oursMs = measured.oursMs.length > 0 ? measured.oursMs : [first.ms];
  const baselineMs = measured.baselineMs.length > 0 ? measured.baselineMs : [firstBaseline.ms];
  report({
    status: 'measured',
    name,
    bytes,
    firstMs: first.ms,
    worstMs: Math.max(first.ms, maximum(oursMs)),
    ours: { medianUs: median(oursMs) * 1000, calls: oursMs.length },
    baseline: { medianUs: median(baselineMs) * 1000, calls: baselineMs.length },
    outcome,
  });
}

function report(result: ItemResult): void {
  process.stdout.write(RESULT_LINE_PREFIX + JSON.stringify(result) + '\n');
}

main();
