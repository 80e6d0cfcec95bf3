// Heap figures after a full collection. The bench runs without --expose-gc, so it enables the flag at run
// time and takes `gc` from a fresh context (V8 exposes it to contexts created after the flag is set).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Used heap in MiB after a full garbage collection. */
export function settledHeapMiB(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}
