// "Who is this caller, and may they?" asked of the API server: a TokenReview for the bearer token, then a
// SubjectAccessReview for the identity it names (the operator needs `create` on both; the chart grants it).
// Used by the cluster Pod API's full view; the answer is a decision value, never an exception.

import { AuthenticationV1Api, AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { bounded, describeApiError } from './api-status.ts';

export interface PodAccessAttributes {
  readonly verb: 'list' | 'get';
  /** '' for all namespaces. */
  readonly namespace: string;
  readonly name?: string;
}

export type AccessDecision =
  | { readonly allowed: true; readonly user: string }
  | { readonly allowed: false; readonly status: 401 | 403 | 503; readonly reason: string };

/** Asks the API server (buildCallerReviewer below); never throws: an unreachable API server is a 503. */
export type CallerReviewer = (token: string, attributes: PodAccessAttributes) => Promise<AccessDecision>;

export function buildCallerReviewer(config: KubeConfig): CallerReviewer {
  const authentication = config.makeApiClient(AuthenticationV1Api);
  const authorization = config.makeApiClient(AuthorizationV1Api);
  return async (token: string, attributes: PodAccessAttributes): Promise<AccessDecision> => {
    let status;
    try {
      const review = await bounded(
        authentication.createTokenReview({
          body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
        }),
        'TokenReview',
      );
      status = review.status;
    } catch (error) {
      return {
        allowed: false,
        status: 503,
        reason: `${describeApiError(error, 'the TokenReview')}; try again`,
      };
    }
    const user = status?.user;
    if (status?.authenticated !== true || user?.username === undefined) {
      return {
        allowed: false,
        status: 401,
        reason: `the bearer token was not accepted by the API server${status?.error ? ` (${status.error})` : ''}`,
      };
    }
    const scope = attributes.namespace === '' ? 'in all namespaces' : `in namespace ${attributes.namespace}`;
    try {
      const review = await bounded(
        authorization.createSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user: user.username,
              ...(user.uid !== undefined ? { uid: user.uid } : {}),
              ...(user.groups !== undefined ? { groups: user.groups } : {}),
              ...(user.extra !== undefined ? { extra: user.extra } : {}),
              resourceAttributes: {
                group: '',
                resource: 'pods',
                verb: attributes.verb,
                ...(attributes.namespace !== '' ? { namespace: attributes.namespace } : {}),
                ...(attributes.name !== undefined ? { name: attributes.name } : {}),
              },
            },
          },
        }),
        'SubjectAccessReview',
      );
      if (review.status?.allowed === true) return { allowed: true, user: user.username };
      return {
        allowed: false,
        status: 403,
        reason: `${user.username} may not ${attributes.verb} pods ${scope}; grant it with RBAC, or ask for view=ebpf-v1`,
      };
    } catch (error) {
      return {
        allowed: false,
        status: 503,
        reason: `${describeApiError(error, 'the SubjectAccessReview')}; try again`,
      };
    }
  };
}
