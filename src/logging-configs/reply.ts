// `GET /v1/logging/configs` as a pure function of the query and the cache (issue 15 §2.4): upstream's
// bodies and codes, except that the answer is 503 (not 404) while the cache cannot be trusted, because
// logfwd treats 404 as "no config" and closes its running tailers, but keeps them on any other status (L5).
// The two bodies upstream fixes (400 for missing parameters, 404 for no match) are sent byte for byte; the
// refusals of our own also carry their `code` in the body. Every refusal's code is in the reply, for the log.

import { ErrorCode } from '../errors/codes.ts';
import { errorBody } from '../http/respond.ts';
import type { LoggingConfigIndex, MatchResult } from './config-index.ts';
import { parsePodLabels } from './config-index.ts';
import {
  MAX_NAMESPACE_LENGTH,
  MAX_POD_LABELS_LENGTH,
  MAX_POD_NAME_LENGTH,
  MESSAGE_NO_MATCH,
  MESSAGE_PARAMETERS_REQUIRED,
  QUERY_NAMESPACE,
  QUERY_POD_LABELS,
  QUERY_POD_NAME,
} from './constants.ts';

/** What the cache can say: ready, or why not (no cluster, CRD missing, RBAC refused, still listing). */
export type LoggingConfigSource =
  | { readonly ready: true; readonly index: LoggingConfigIndex }
  | { readonly ready: false; readonly reason: string };

export interface LoggingConfigReply {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** Set for every refusal, also when the body is upstream's and cannot carry it. */
  readonly code?: ErrorCode;
  /** Set for a 200 that other CRs also matched: the composition logs it once. */
  readonly match?: MatchResult;
}

export function resolveLoggingConfigReply(
  query: URLSearchParams,
  source: LoggingConfigSource,
): LoggingConfigReply {
  const namespace = query.get(QUERY_NAMESPACE) ?? '';
  const podName = query.get(QUERY_POD_NAME) ?? '';
  const podLabels = query.get(QUERY_POD_LABELS) ?? '';
  if (namespace === '' || podName === '')
    return { status: 400, body: { error: MESSAGE_PARAMETERS_REQUIRED }, code: ErrorCode.QUERY_INVALID };
  const tooLong = [
    [QUERY_NAMESPACE, namespace, MAX_NAMESPACE_LENGTH],
    [QUERY_POD_NAME, podName, MAX_POD_NAME_LENGTH],
    [QUERY_POD_LABELS, podLabels, MAX_POD_LABELS_LENGTH],
  ].find(([, value, max]) => (value as string).length > (max as number));
  if (tooLong !== undefined) {
    const message = `${tooLong[0]} is longer than ${tooLong[2]} characters: send the pod's own value`;
    return { status: 400, body: errorBody(ErrorCode.QUERY_INVALID, message), code: ErrorCode.QUERY_INVALID };
  }
  if (!source.ready) {
    return { status: 503, body: errorBody(ErrorCode.NOT_READY, source.reason), code: ErrorCode.NOT_READY };
  }

  const match = source.index.find({ namespace, podName, podLabels: parsePodLabels(podLabels) });
  const found = match.match;
  if (found === undefined) {
    return { status: 404, body: { error: MESSAGE_NO_MATCH }, code: ErrorCode.OBJECT_NOT_FOUND };
  }
  return {
    status: 200,
    body: {
      name: found.name,
      ...(found.podTargetLabels.length > 0 ? { pod_target_labels: [...found.podTargetLabels] } : {}),
      configs: found.configs,
    },
    match,
  };
}
