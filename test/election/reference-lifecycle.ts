// The SPEC §10.1 reference lifecycle (lease 30 s) as data, so that every store runs the same steps.

import type { ElectionAnswer } from '../../src/election/central-coordinator.ts';
import type { ElectionOperation } from '../../src/election/central-decision.ts';

export interface LifecycleStep {
  readonly atSeconds: number;
  readonly operation: ElectionOperation;
  readonly id: string;
  readonly expected: ElectionAnswer;
  readonly why: string;
}

export function win(holder: string, epoch: number, leaseDurationSeconds = 30): ElectionAnswer {
  return { status: 'success', incumbencyId: holder, epoch, leaseDurationSeconds };
}

export function lose(incumbent: string, epoch: number, leaseDurationSeconds = 30): ElectionAnswer {
  return { status: 'defeat', incumbencyId: incumbent, epoch, leaseDurationSeconds };
}

export const REFERENCE_LIFECYCLE: readonly LifecycleStep[] = [
  { atSeconds: 0, operation: 'campaign', id: 'a', expected: win('a', 1), why: 'a wins at t0' },
  { atSeconds: 0, operation: 'campaign', id: 'b', expected: lose('a', 1), why: 'b is defeated by a' },
  {
    atSeconds: 0,
    operation: 'campaign',
    id: 'a',
    expected: lose('a', 1),
    why: 'a campaigning again is defeated too',
  },
  { atSeconds: 20, operation: 'heartbeat', id: 'a', expected: win('a', 1), why: 'a renews at +20 s' },
  {
    atSeconds: 31,
    operation: 'campaign',
    id: 'b',
    expected: lose('a', 1),
    why: 'b at +31 s is defeated: the renewal moved the deadline',
  },
  {
    atSeconds: 31,
    operation: 'heartbeat',
    id: 'b',
    expected: lose('a', 1),
    why: 'b cannot renew what a holds',
  },
  {
    atSeconds: 51,
    operation: 'heartbeat',
    id: 'a',
    expected: lose('', 1),
    why: 'a heartbeat at +51 s is defeated with no incumbent: the Lease expired',
  },
  {
    atSeconds: 51,
    operation: 'campaign',
    id: 'b',
    expected: win('b', 2),
    why: 'b campaigns and takes over with epoch 2',
  },
  {
    atSeconds: 51,
    operation: 'heartbeat',
    id: 'a',
    expected: lose('b', 2),
    why: 'a, the old leader, is told about b',
  },
];
