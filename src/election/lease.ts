// The election's view of a Lease and the store contract both stores implement (ARCHITECTURE §3).
// Stores throw; the coordinator turns what they throw into answers, so the HTTP layer only sees values.

import type { StoreFailureCode } from './constants.ts';

export interface ElectionLease {
  readonly name: string;
  /** Opaque; changes on every write. The compare-and-swap token and the key of expiry observations. */
  readonly resourceVersion: string;
  /** Empty when nobody holds it. */
  readonly holder: string;
  readonly durationSeconds: number;
  /** Leader transitions so far: 1 after the first acquisition (the `epoch` of the wire protocol). */
  readonly epoch: number;
  readonly acquireTime: Date;
  readonly renewTime: Date;
}

/** A Lease to create or the new content of one to replace; the store assigns the resourceVersion. */
export type LeaseWrite = Omit<ElectionLease, 'resourceVersion'>;

/** The write lost a compare-and-swap race (HTTP 409, or the Lease vanished under a replace). */
export class LeaseConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseConflictError';
  }
}

/** The store cannot be used right now; `code` becomes the 503's `error_code`. */
export class LeaseStoreError extends Error {
  readonly code: StoreFailureCode;

  constructor(code: StoreFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeaseStoreError';
    this.code = code;
  }
}

export type StoreReadiness =
  { readonly ready: true } | { readonly ready: false; readonly code: StoreFailureCode };

export interface LeaseStore {
  /** The authoritative current Lease; undefined when there is none. */
  get(name: string): Promise<ElectionLease | undefined>;
  /** Create-if-absent: LeaseConflictError when it already exists. */
  create(lease: LeaseWrite): Promise<ElectionLease>;
  /** Compare-and-swap on `expectedResourceVersion`: LeaseConflictError when it is no longer current. */
  replace(lease: LeaseWrite, expectedResourceVersion: string): Promise<ElectionLease>;
  /**
   * What the store's watch cache holds; it may lag behind the store, so it may only ever be used to say
   * "defeat", never "success". Undefined when absent from the cache.
   */
  cached(name: string): ElectionLease | undefined;
  cachedAll(): readonly ElectionLease[];
  /** How many Leases the cache holds (the scope count that `election.max_scopes` bounds). */
  cachedCount(): number;
  /**
   * Removes a forgotten scope's Lease, only at `expectedResourceVersion` (a precondition, so a campaign
   * that just renewed it wins): LeaseConflictError when it changed; absent already is success.
   */
  delete(name: string, expectedResourceVersion: string): Promise<void>;
  /** False until the cache has listed the store once: campaigns wait for it (503 cache_not_ready). */
  isSynced(): boolean;
  /** The status probe: permissions and cache (SPEC §10.1). Never writes. */
  checkReady(): Promise<StoreReadiness>;
}
