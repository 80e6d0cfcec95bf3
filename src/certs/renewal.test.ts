import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BundleFacts } from './certificate-bundle.ts';
import { nextRenewalAt, RENEW_BEFORE_EXPIRY_MS, resolveBundleAction, type BundleAction } from './renewal.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2030-06-01T00:00:00Z');
const NAMES = ['datakit-operator', 'datakit-operator.datakit', 'datakit-operator.datakit.svc'];
const SERVING_VALIDITY = 365 * DAY;

function facts(servingDaysLeft: number, caDaysLeft: number, names: readonly string[] = NAMES): BundleFacts {
  return {
    servingNotAfter: new Date(NOW.getTime() + servingDaysLeft * DAY),
    signingCaNotAfter: new Date(NOW.getTime() + caDaysLeft * DAY),
    servingNames: names,
  };
}

describe('resolveBundleAction', () => {
  const cases: readonly [string, BundleFacts, BundleAction['action'], RegExp?][] = [
    ['keeps a certificate with 31 days left', facts(31, 3000), 'keep'],
    [
      'renews the serving certificate 30 days before it expires',
      facts(30, 3000),
      'renew-serving',
      /expires at/,
    ],
    ['renews an already expired serving certificate', facts(-1, 3000), 'renew-serving', /expires at/],
    [
      'renews a serving certificate that does not cover a required name',
      facts(300, 3000, NAMES.slice(0, 2)),
      'renew-serving',
      /does not cover datakit-operator\.datakit\.svc/,
    ],
    ['rotates a CA that expires within 30 days', facts(10, 20), 'rotate-ca', /the CA expires at/],
    [
      'rotates the CA when a new serving certificate would outlive it',
      facts(5, 200),
      'rotate-ca',
      /would outlive the CA/,
    ],
    ['keeps a fresh serving certificate even when the CA is older than a year', facts(200, 100), 'keep'],
  ];
  for (const [name, given, expected, reason] of cases) {
    it(name, () => {
      const decision = resolveBundleAction(given, NAMES, NOW, SERVING_VALIDITY);
      assert.equal(decision.action, expected);
      if (reason && decision.action !== 'keep') assert.match(decision.reason, reason);
    });
  }

  it('changes its answer exactly when the clock crosses the renewal point', () => {
    const given = facts(100, 3000);
    const renewalPoint = given.servingNotAfter.getTime() - RENEW_BEFORE_EXPIRY_MS;
    const before = resolveBundleAction(given, NAMES, new Date(renewalPoint - 1), SERVING_VALIDITY);
    const at = resolveBundleAction(given, NAMES, new Date(renewalPoint), SERVING_VALIDITY);
    assert.equal(before.action, 'keep');
    assert.equal(at.action, 'renew-serving');
  });
});

describe('nextRenewalAt', () => {
  it('is 30 days before whichever of the serving certificate and the CA expires first', () => {
    assert.equal(nextRenewalAt(facts(100, 3000)).getTime(), NOW.getTime() + 70 * DAY);
    assert.equal(nextRenewalAt(facts(100, 50)).getTime(), NOW.getTime() + 20 * DAY);
  });
});
