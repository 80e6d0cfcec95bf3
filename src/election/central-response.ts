// The wire format of the central election (SPEC §10.1): one envelope for every answer, the HTTP status
// that goes with it, and the status probe's body. Pure: routes call these and write the result.

import {
  ELECTION_STATUS,
  MAX_PARAMETER_BYTES,
  MISSING_PARAMETERS_MESSAGE,
  type ElectionFailureCode,
} from './constants.ts';
import type { ElectionAnswer, ElectionTiming } from './central-coordinator.ts';
import type { StoreReadiness } from './lease.ts';

export interface ElectionContent {
  readonly status: 'success' | 'defeat' | 'error';
  readonly namespace: string;
  readonly id: string;
  readonly incumbency_id: string;
  readonly error_msg: string;
  readonly error_code?: ElectionFailureCode;
  readonly interval: number;
  readonly lease_duration: number;
  readonly epoch: number;
}

export interface ElectionReply<C> {
  readonly httpStatus: 200 | 400 | 503;
  readonly body: { readonly content: C };
}

/** What the operator tells a DataKit (and an operator's reader) about each store failure. */
export const STORE_FAILURE_MESSAGES: Readonly<Record<ElectionFailureCode, string>> = {
  rbac_forbidden:
    "DataKit election coordinator unavailable: the operator's service account may not get, list, watch, " +
    'create and update leases (coordination.k8s.io) in its namespace; grant them (see the README)',
  cache_not_ready:
    "DataKit election coordinator unavailable: the operator's Lease cache has not synced yet; retry shortly",
  storage_unavailable:
    'DataKit election coordinator unavailable: the operator cannot read or write its election Leases; see the operator log',
  scope_limit:
    'DataKit election coordinator unavailable: the operator already keeps election.max_scopes (token, namespace) ' +
    'scopes; raise election.max_scopes, or wait until unused scopes expire (10 lease durations)',
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

export type ElectionParameter = keyof typeof MAX_PARAMETER_BYTES;

/** The first parameter longer than its bound (SPEC §10.1), if any. */
export function findOversizedParameter(query: {
  readonly [parameter in ElectionParameter]: string;
}): ElectionParameter | undefined {
  for (const parameter of ['token', 'namespace', 'id'] as const) {
    if (Buffer.byteLength(query[parameter], 'utf8') > MAX_PARAMETER_BYTES[parameter]) return parameter;
  }
  return undefined;
}

/** 400 for a parameter over its bound; the oversized value is not echoed back. */
export function buildOversizedParameterReply(
  parameter: ElectionParameter,
  query: EchoedQuery,
  timing: ElectionTiming,
): ElectionReply<ElectionContent> {
  const echo = (name: 'namespace' | 'id'): string => (parameter === name ? '' : query[name]);
  return {
    httpStatus: 400,
    body: {
      content: {
        status: ELECTION_STATUS.error,
        namespace: echo('namespace'),
        id: echo('id'),
        incumbency_id: '',
        error_msg: `${parameter} is longer than ${MAX_PARAMETER_BYTES[parameter]} bytes`,
        interval: timing.intervalSeconds,
        lease_duration: timing.leaseDurationSeconds,
        epoch: 0,
      },
    },
  };
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
  | { readonly status: 'error'; readonly error_code: ElectionFailureCode; readonly error_msg: string };

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
