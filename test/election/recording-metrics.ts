// An ElectionMetrics that remembers every call, for asserting what was counted.

import type { ElectionMetrics } from '../../src/election/metrics.ts';

export class RecordingMetrics implements ElectionMetrics {
  readonly calls: string[] = [];

  recordRequest(operation: string, result: string): void {
    this.calls.push(`request:${operation}:${result}`);
  }
  recordTransition(reason: string): void {
    this.calls.push(`transition:${reason}`);
  }
  recordStorageError(operation: string): void {
    this.calls.push(`storage-error:${operation}`);
  }
  recordCasConflict(operation: string): void {
    this.calls.push(`cas-conflict:${operation}`);
  }
  recordScopeLimit(): void {
    this.calls.push('scope-limit');
  }
  recordScopesCollected(count: number): void {
    this.calls.push(`scopes-collected:${count}`);
  }

  count(call: string): number {
    return this.calls.filter((recorded) => recorded === call).length;
  }
}
