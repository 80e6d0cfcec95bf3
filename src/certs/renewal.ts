// When the self-managed certificate must change (SPEC §11), decided from the bundle's facts and the
// injected clock only, so that renewal timing is tested without waiting a year. The serving certificate
// is renewed 30 days before it expires, or at once when it does not cover the names the Service needs (a
// renamed Service or a new namespace). The CA is replaced when it is itself that close to expiry, or when
// a new serving certificate would outlive it.

import type { BundleFacts } from './certificate-bundle.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
export const RENEW_BEFORE_EXPIRY_MS = 30 * DAY_MS;

export type BundleAction =
  | { readonly action: 'keep' }
  | { readonly action: 'renew-serving'; readonly reason: string }
  | { readonly action: 'rotate-ca'; readonly reason: string };

export function resolveBundleAction(
  facts: BundleFacts,
  requiredNames: readonly string[],
  now: Date,
  servingValidityMs: number,
): BundleAction {
  const nowMs = now.getTime();
  if (facts.signingCaNotAfter.getTime() - RENEW_BEFORE_EXPIRY_MS <= nowMs) {
    return { action: 'rotate-ca', reason: `the CA expires at ${facts.signingCaNotAfter.toISOString()}` };
  }
  const missing = requiredNames.filter((name) => !facts.servingNames.includes(name));
  const servingReason =
    missing.length > 0
      ? `the serving certificate does not cover ${missing.join(', ')}`
      : facts.servingNotAfter.getTime() - RENEW_BEFORE_EXPIRY_MS <= nowMs
        ? `the serving certificate expires at ${facts.servingNotAfter.toISOString()}`
        : undefined;
  if (servingReason === undefined) return { action: 'keep' };
  if (facts.signingCaNotAfter.getTime() < nowMs + servingValidityMs) {
    return { action: 'rotate-ca', reason: `${servingReason}, and a new one would outlive the CA` };
  }
  return { action: 'renew-serving', reason: servingReason };
}

/** When the bundle is next due for a change if nothing else happens (for the log line). */
export function nextRenewalAt(facts: BundleFacts): Date {
  const due =
    Math.min(facts.servingNotAfter.getTime(), facts.signingCaNotAfter.getTime()) - RENEW_BEFORE_EXPIRY_MS;
  return new Date(due);
}
