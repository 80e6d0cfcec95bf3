// Builders shared by the cross-module suites: AdmissionReviews around a pod, config from JSON text,
// and decoding a response patch.

import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { parseConfigText } from '../../src/config/load.ts';
import { detailsOf } from '../../src/errors/problem.ts';
import type { OperatorConfig } from '../../src/config/types.ts';
import type { AdmissionReviewRequest, AdmissionReviewResponse } from '../../src/admission/types.ts';
import type { Pod } from '../../src/podspec/types.ts';

export interface RequestOptions {
  readonly uid?: string;
  readonly operation?: string;
  readonly namespace?: string;
  readonly resource?: { group: string; version: string; resource: string };
  readonly subResource?: string;
  readonly dryRun?: boolean;
}

export const POD_RESOURCE = { group: '', version: 'v1', resource: 'pods' };

export function buildReview(object: unknown, options: RequestOptions = {}): AdmissionReviewRequest {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: options.uid ?? '00000000-0000-0000-0000-000000000001',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: options.resource ?? POD_RESOURCE,
      ...(options.subResource === undefined ? {} : { subResource: options.subResource }),
      namespace: options.namespace ?? (object as Pod)?.metadata?.namespace ?? 'default',
      operation: options.operation ?? 'CREATE',
      dryRun: options.dryRun ?? false,
      object,
    },
  };
}

/** A config from a JSON document (merged over the defaults); throws with every problem if invalid. */
export function configFrom(document: unknown = {}): OperatorConfig {
  const result = parseConfigText(JSON.stringify(document), 'test', {});
  if (!result.ok) throw new Error(`${result.error.message}\n${detailsOf(result.error).join('\n')}`);
  return result.value.config;
}

export function decodePatch(review: AdmissionReviewResponse): Operation[] {
  const patch = review.response.patch;
  return patch === undefined
    ? []
    : (JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as Operation[]);
}

/** Applies a JSON Patch to a deep copy, validating every operation as the API server would. */
export function applyPatch<T>(document: T, operations: readonly Operation[]): T {
  const copy = structuredClone(document);
  return fastJsonPatch.applyPatch(copy, operations as Operation[], true, true).newDocument;
}
