import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAdmissionReview } from './review.ts';

const valid = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u1' } };

const refused: { name: string; body: unknown; reason: RegExp }[] = [
  { name: 'an array', body: [], reason: /not a JSON object/ },
  {
    name: 'another kind',
    body: { ...valid, kind: 'Pod' },
    reason: /kind is "Pod", expected "AdmissionReview"/,
  },
  {
    name: 'v1beta1',
    body: { ...valid, apiVersion: 'admission.k8s.io/v1beta1' },
    reason: /admissionReviewVersions: \[v1\]/,
  },
  { name: 'no request', body: { ...valid, request: undefined }, reason: /request is missing/ },
  { name: 'no uid', body: { ...valid, request: {} }, reason: /request.uid/ },
  {
    name: 'a non-string namespace',
    body: { ...valid, request: { uid: 'u', namespace: 3 } },
    reason: /request.namespace is not a string/,
  },
  {
    name: 'a non-object object',
    body: { ...valid, request: { uid: 'u', object: 'pod' } },
    reason: /request.object is not an object/,
  },
];

describe('parseAdmissionReview', () => {
  it('accepts a v1 AdmissionReview with a uid', () => {
    const result = parseAdmissionReview(valid);
    assert.ok(result.ok);
  });
  for (const { name, body, reason } of refused) {
    it(`refuses ${name} with a one-line reason`, () => {
      const result = parseAdmissionReview(body);
      assert.ok(!result.ok);
      assert.match(result.error, reason);
      assert.ok(!result.error.includes('\n'));
    });
  }
});
