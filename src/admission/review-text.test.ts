import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { admissionReviewText } from './review-text.ts';
import type { AdmissionReviewResponse } from './types.ts';

const patch = Buffer.from('[{"op":"add","path":"/metadata/labels","value":{"é":"/"}}]').toString('base64');

function review(response: AdmissionReviewResponse['response']): AdmissionReviewResponse {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

describe('admissionReviewText', () => {
  const cases: { name: string; review: AdmissionReviewResponse }[] = [
    { name: 'an answer without a patch', review: review({ uid: 'u', allowed: true }) },
    { name: 'a patch', review: review({ uid: 'u', allowed: true, patchType: 'JSONPatch', patch }) },
    {
      name: 'a patch and warnings that need escaping',
      review: review({
        uid: 'u"\\\u2028',
        allowed: true,
        patchType: 'JSONPatch',
        patch,
        warnings: ['datakit-operator: "quoted" \n and 日本語'],
      }),
    },
    {
      name: 'an undefined field, which JSON.stringify leaves out',
      review: review({ uid: 'u', allowed: true, patchType: 'JSONPatch', patch, warnings: undefined }),
    },
  ];
  for (const { name, review: answer } of cases) {
    it(`is JSON.stringify's text: ${name}`, () => {
      assert.equal(admissionReviewText(answer), JSON.stringify(answer));
    });
  }
});
