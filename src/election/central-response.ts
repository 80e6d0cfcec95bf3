// The wire format of the central election (SPEC §10.1): one envelope for every answer, the HTTP status
// that goes with it, and the status probe's body. Pure: routes call these and write the result.

import { ELECTION_STATUS, MISSING_PARAMETERS_MESSAGE, type StoreFailureCode } from './constants.ts';
import type { ElectionAnswer, ElectionTiming } from './central-coordinator.ts';
import type { StoreReadiness } from './lease.ts';

export interface ElectionContent {
  readonly status: 'success' | 'defeat' | 'error';
  readonly namespace: string;
  readonly id: string;
  readonly incumbency_id: string;
  readonly error_msg: string;
  readonly error_code?: StoreFailureCode;
  readonly interval: number;
  readonly lease_duration: number;
  readonly epoch: number;
}

export interface ElectionReply<C> {
  readonly httpStatus: 200 | 400 | 503;
  readonly body: { readonly content: C };
}

/** What the operator tells a DataKit (and an operator's reader) about each store failure. */
export const STORE_FAILURE_MESSAGES: Readonly<Record<StoreFailureCode, string>> = {
  rbac_forbidden:
    "DataKit election coordinator unavailable: the operator's service account may not get, list, watch, " +
    'create and update leases (coordination.k8s.io) in its namespace; grant them (see the README)',
  cache_not_ready:
    "DataKit election coordinator unavailable: the operator's Lease cache has not synced yet; retry shortly",
  storage_unavailable:
    'DataKit election coordinator unavailable: the operator cannot read or write its election Leases; see the operator log',
};

export interface EchoedQuery {
  readonly namespace: string;
  readonly id: string;
}

export function buildElectionReply(
  answer: ElectionAnswer,
  query: EchoedQuery,
  timing: ElectionTiming,
): ElectionReply<ElectionContent> {
  if (answer.status === 'error') {
    const content: ElectionContent = {
      status: ELECTION_STATUS.error,
      namespace: query.namespace,
      id: query.id,
      incumbency_id: '',
      error_msg: STORE_FAILURE_MESSAGES[answer.code],
      error_code: answer.code,
      interval: timing.intervalSeconds,
      lease_duration: timing.leaseDurationSeconds,
      epoch: 0,
    };
    return { httpStatus: 503, body: { content } };
  }
  const content: ElectionContent = {
    status: answer.status,
    namespace: query.namespace,
    id: query.id,
    incumbency_id: answer.incumbencyId,
    error_msg: '',
    interval: timing.intervalSeconds,
    lease_duration: answer.leaseDurationSeconds ?? timing.leaseDurationSeconds,
    epoch: answer.epoch,
  };
  return { httpStatus: 200, body: { content } };
}

/** 400 for a request without `token` or `id` (upstream's message, which DataKit logs). */
export function buildMissingParametersReply(
  query: EchoedQuery,
  timing: ElectionTiming,
): ElectionReply<ElectionContent> {
  return {
    httpStatus: 400,
    body: {
      content: {
        status: ELECTION_STATUS.error,
        namespace: query.namespace,
        id: query.id,
        incumbency_id: '',
        error_msg: MISSING_PARAMETERS_MESSAGE,
        interval: timing.intervalSeconds,
        lease_duration: timing.leaseDurationSeconds,
        epoch: 0,
      },
    },
  };
}

export type StatusContent =
  | { readonly status: 'ready' }
  | { readonly status: 'error'; readonly error_code: StoreFailureCode; readonly error_msg: string };

export function buildStatusReply(readiness: StoreReadiness): ElectionReply<StatusContent> {
  if (readiness.ready) return { httpStatus: 200, body: { content: { status: 'ready' } } };
  return {
    httpStatus: 503,
    body: {
      content: {
        status: ELECTION_STATUS.error,
        error_code: readiness.code,
        error_msg: STORE_FAILURE_MESSAGES[readiness.code],
      },
    },
  };
}
