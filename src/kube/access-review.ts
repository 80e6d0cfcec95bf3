// "May I?" asked of the API server itself (SelfSubjectAccessReview), so the election's status probe can say
// exactly which permission is missing instead of failing on the first write (SPEC §10.1).

import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { apiStatusOf, bounded, KubeRequestError } from './api-status.ts';

/** Every verb the election uses on Leases. */
export const ELECTION_LEASE_VERBS = ['get', 'list', 'watch', 'create', 'update'] as const;

export interface ResourceAccess {
  readonly group: string;
  readonly resource: string;
  readonly namespace: string;
  readonly verbs: readonly string[];
}

export interface AccessVerdict {
  /** Verbs the operator's identity may not use; empty when all are allowed. */
  readonly denied: readonly string[];
}

export type AccessReviewer = (access: ResourceAccess) => Promise<AccessVerdict>;

export function buildAccessReviewer(config: KubeConfig): AccessReviewer {
  const api = config.makeApiClient(AuthorizationV1Api);
  return async (access) => {
    const answers = await Promise.all(
      access.verbs.map(async (verb) => {
        try {
          const review = await bounded(
            api.createSelfSubjectAccessReview({
              body: {
                apiVersion: 'authorization.k8s.io/v1',
                kind: 'SelfSubjectAccessReview',
                spec: {
                  resourceAttributes: {
                    group: access.group,
                    resource: access.resource,
                    namespace: access.namespace,
                    verb,
                  },
                },
              },
            }),
            `review access to ${verb} ${access.resource}`,
          );
          return { verb, allowed: review.status?.allowed === true };
        } catch (error) {
          if (error instanceof KubeRequestError) throw error;
          const status = apiStatusOf(error);
          throw new KubeRequestError(
            `SelfSubjectAccessReview for ${verb} ${access.resource}: ${status === undefined ? (error as Error).message : `HTTP ${status}`}`,
            status,
            { cause: error },
          );
        }
      }),
    );
    return { denied: answers.filter((answer) => !answer.allowed).map((answer) => answer.verb) };
  };
}
