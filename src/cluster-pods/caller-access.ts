// Who may see the full view (issue 15 defect C1): a caller that sends `Authorization: Bearer <token>`,
// whose token a TokenReview accepts, and whose identity a SubjectAccessReview allows to `list` the pods
// asked for (`get` for one pod), in that namespace or cluster-wide. The API server decides both; this
// module parses the header and remembers verdicts briefly, so that a busy or hostile caller costs at most
// one review pair per token, request kind and TTL, and the remembered set is bounded.

import { createHash } from 'node:crypto';

export interface PodAccessAttributes {
  readonly verb: 'list' | 'get';
  /** '' for all namespaces. */
  readonly namespace: string;
  readonly name?: string;
}

export type AccessDecision =
  | { readonly allowed: true; readonly user: string }
  | { readonly allowed: false; readonly status: 401 | 403 | 503; readonly reason: string };

/** Asks the API server (kube/token-review.ts); never throws: an unreachable API server is a 503. */
export type CallerReviewer = (token: string, attributes: PodAccessAttributes) => Promise<AccessDecision>;

export const MAX_TOKEN_LENGTH = 16 * 1024;
export const VERDICT_TTL_MS = 10_000;
export const MAX_REMEMBERED_VERDICTS = 1_024;

/** The token of `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerTokenOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  const token = match?.[1];
  return token === undefined || token.length > MAX_TOKEN_LENGTH ? undefined : token;
}

export function missingTokenDecision(): AccessDecision {
  return {
    allowed: false,
    status: 401,
    reason:
      'view=full needs a ServiceAccount token (Authorization: Bearer <token>) that may list pods; ' +
      'without one, ask for view=ebpf-v1',
  };
}

/** Wraps a reviewer with a bounded memory of its verdicts (not of its failures: a 503 is asked again). */
export function rememberVerdicts(
  review: CallerReviewer,
  now: () => number,
  ttlMs = VERDICT_TTL_MS,
  maxEntries = MAX_REMEMBERED_VERDICTS,
): CallerReviewer {
  const verdicts = new Map<string, { readonly decision: AccessDecision; readonly until: number }>();
  return async (token, attributes) => {
    const key = [
      createHash('sha256').update(token).digest('base64'),
      attributes.verb,
      attributes.namespace,
      attributes.name ?? '',
    ].join('\u0000');
    const remembered = verdicts.get(key);
    if (remembered !== undefined && remembered.until > now()) return remembered.decision;
    verdicts.delete(key);
    const decision = await review(token, attributes);
    if (decision.allowed || decision.status !== 503) {
      if (verdicts.size >= maxEntries) {
        const oldest = verdicts.keys().next();
        if (!oldest.done) verdicts.delete(oldest.value);
      }
      verdicts.set(key, { decision, until: now() + ttlMs });
    }
    return decision;
  };
}
