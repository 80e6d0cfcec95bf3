// Parses an AdmissionReview request body. Anything that is not a v1 AdmissionReview with a request and
// a uid is refused with a one-line reason (the server answers 400 with it).

import { err, ok, type Result } from '../errors/result.ts';
import type { AdmissionReviewRequest } from './types.ts';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const ADMISSION_KIND = 'AdmissionReview';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseAdmissionReview(body: unknown): Result<AdmissionReviewRequest, string> {
  if (!isRecord(body)) return err('body is not a JSON object');
  if (body.kind !== ADMISSION_KIND) {
    return err(`kind is ${JSON.stringify(body.kind ?? null)}, expected "${ADMISSION_KIND}"`);
  }
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    return err(
      `apiVersion is ${JSON.stringify(body.apiVersion ?? null)}, expected "${ADMISSION_API_VERSION}" ` +
        '(register the webhook with admissionReviewVersions: [v1])',
    );
  }
  const request = body.request;
  if (!isRecord(request)) return err('request is missing or not an object');
  if (typeof request.uid !== 'string' || request.uid === '') {
    return err('request.uid is missing or not a non-empty string');
  }
  for (const field of ['namespace', 'operation', 'name', 'subResource'] as const) {
    if (request[field] !== undefined && typeof request[field] !== 'string') {
      return err(`request.${field} is not a string`);
    }
  }
  if (request.object !== undefined && request.object !== null && !isRecord(request.object)) {
    return err('request.object is not an object');
  }
  return ok(body as unknown as AdmissionReviewRequest);
}
