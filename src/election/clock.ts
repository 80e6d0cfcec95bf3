// Time behind a narrow interface (ARCHITECTURE §4 rule 11): wall time is only ever written into Leases
// for people to read; every expiry decision uses the monotonic clock, so that a node's wall clock
// jumping or two nodes disagreeing never changes who leads.

export interface Clock {
  now(): Date;
  /** Milliseconds from an arbitrary origin; never goes backwards. */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
};
