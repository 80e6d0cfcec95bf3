// Who may see the full view (issue 15 defect C1): a caller that sends `Authorization: Bearer <token>`,
// whose token a TokenReview accepts, and whose identity a SubjectAccessReview allows to `list` the pods
// asked for (`get` for one pod), in that namespace or cluster-wide. The API server decides both; this
// module parses the header and remembers verdicts briefly, so that a busy or hostile caller costs at most
// one review pair per token, request kind and TTL, the remembered set is bounded, and so are the reviews
// in progress (a flood of distinct tokens gets 503s, not a flood of API calls).

import { createHash } from 'node:crypto';
import type { AccessDecision, CallerReviewer, PodAccessAttributes } from '../kube/token-review.ts';

export type { AccessDecision, CallerReviewer, PodAccessAttributes };

export const MAX_TOKEN_LENGTH = 16 * 1024;
export const VERDICT_TTL_MS = 10_000;
export const MAX_REMEMBERED_VERDICTS = 1_024;
/** Reviews asked of the API server at once; more (a flood of distinct tokens) are refused with 503. */
export const MAX_REVIEWS_IN_FLIGHT = 16;

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
  maxInFlight = MAX_REVIEWS_IN_FLIGHT,
): CallerReviewer {
  const verdicts = new Map<string, { readonly decision: AccessDecision; readonly until: number }>();
  let inFlight = 0;
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
    if (inFlight >= maxInFlight) {
      return { allowed: false, status: 503, reason: 'too many token reviews in progress; try again shortly' };
    }
    inFlight += 1;
    let decision: AccessDecision;
    try {
      decision = await review(token, attributes);
    } finally {
      inFlight -= 1;
    }
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
