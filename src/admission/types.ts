// AdmissionReview v1 as far as the webhook reads and writes it.

import type { Pod } from '../podspec/types.ts';
import type { Outcome } from '../mutation/types.ts';

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface AdmissionRequest {
  uid: string;
  kind?: { group: string; version: string; kind: string };
  resource?: GroupVersionResource;
  subResource?: string;
  name?: string;
  namespace?: string;
  operation?: string;
  dryRun?: boolean;
  object?: unknown;
  [key: string]: unknown;
}

export interface AdmissionReviewRequest {
  apiVersion: string;
  kind: 'AdmissionReview';
  request: AdmissionRequest;
}

export interface AdmissionResponse {
  uid: string;
  allowed: true;
  patchType?: 'JSONPatch';
  /** base64 of the JSON Patch document. */
  patch?: string;
  warnings?: string[];
}

export interface AdmissionReviewResponse {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

/**
 * What the handler decided, for the HTTP layer to serialise, log and count:
 * - `mutated`: a patch is sent; `unchanged`: a pod CREATE that needed no change;
 * - `ignored`: not a pod CREATE (other resource, sub-resource or operation);
 * - `failed-open`: mutation threw; the pod is admitted unchanged and `error` says why.
 */
export type AdmissionResult = 'mutated' | 'unchanged' | 'ignored' | 'failed-open';

export interface AdmissionDecision {
  readonly review: AdmissionReviewResponse;
  /** The review's patch in pieces, which the answer body is written from (admission/patch-encoding.ts). */
  readonly patchPieces?: readonly string[];
  readonly result: AdmissionResult;
  readonly outcomes: readonly Outcome[];
  readonly warnings: readonly string[];
  readonly error?: Error;
  /** For log lines: the namespace and the pod's name, or its generateName when it has no name yet. */
  readonly namespace: string;
  readonly podName: string;
  readonly uid: string;
  readonly dryRun: boolean;
}

export type { Pod };
