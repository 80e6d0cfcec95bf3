// The AdmissionReview answer as JSON text, the same text JSON.stringify gives. JSON.stringify reads the
// patch character by character to see whether any needs escaping; base64 never does, and the patch is
// most of the answer (27 KiB on the 10-container bench pod: about 47 µs of stringify against 1 µs). So
// every other field is stringified and the patch text is placed between them as it is.

import type { AdmissionResponse, AdmissionReviewResponse } from './types.ts';

function field(key: string, value: unknown): string {
  return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
}

function responseText(response: AdmissionResponse): string {
  const fields: string[] = [];
  for (const key of Object.keys(response) as (keyof AdmissionResponse)[]) {
    const value = response[key];
    if (value === undefined) continue;
    // `patch` is always encodePatch's base64 (patch.ts): its alphabet has nothing JSON escapes.
    fields.push(key === 'patch' ? `"patch":"${value as string}"` : field(key, value));
  }
  return `{${fields.join(',')}}`;
}

export function admissionReviewText(review: AdmissionReviewResponse): string {
  if (review.response.patch === undefined) return JSON.stringify(review);
  const fields: string[] = [];
  for (const key of Object.keys(review) as (keyof AdmissionReviewResponse)[]) {
    if (key === 'response') fields.push(`"response":${responseText(review.response)}`);
    else fields.push(field(key, review[key]));
  }
  return `{${fields.join(',')}}`;
}
