import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { admissionReviewBody } from './review-text.ts';
import type { AdmissionReviewResponse } from './types.ts';

const patch = Buffer.from('[{"op":"add","path":"/metadata/labels","value":{"é":"/"}}]').toString('base64');

function review(response: AdmissionReviewResponse['response']): AdmissionReviewResponse {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

describe('admissionReviewBody', () => {
  const cases: { name: string; review: AdmissionReviewResponse; pieces?: string[] }[] = [
    { name: 'an answer without a patch', review: review({ uid: 'u', allowed: true }) },
    { name: 'a patch', review: review({ uid: 'u', allowed: true, patchType: 'JSONPatch', patch }) },
    {
      name: 'a patch given in pieces',
      review: review({ uid: 'u', allowed: true, patchType: 'JSONPatch', patch }),
      pieces: [patch.slice(0, 8), patch.slice(8, 40), patch.slice(40)],
    },
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
    {
      name: 'the patch as the first field of the response',
      review: review({ patch, uid: 'u', allowed: true } as AdmissionReviewResponse['response']),
    },
  ];
  for (const { name, review: answer, pieces } of cases) {
    it(`is the UTF-8 of JSON.stringify's text: ${name}`, () => {
      const body = admissionReviewBody(answer, pieces);
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      assert.equal(bytes.toString('utf8'), JSON.stringify(answer));
      assert.equal(bytes.length, Buffer.byteLength(JSON.stringify(answer), 'utf8'));
    });
  }
});
