// Credentials of a ServiceAccount, for a process that must run with exactly the RBAC granted to it (as
// the operator's pod does in a cluster): a token from the TokenRequest API, and a kubeconfig that uses it
// against the same API server, trusting the same CA, as the admin kubeconfig.

import { KubeConfig } from '@kubernetes/client-node';
import type { KubeClient } from './kube-client.ts';

/** The API server's minimum is 10 minutes; one hour outlasts any journey. */
const TOKEN_EXPIRATION_SECONDS = 3600;
const CONTEXT_NAME = 'service-account';

interface TokenRequestReply {
  readonly status?: { readonly token?: string };
}

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export async function mintServiceAccountToken(
  client: KubeClient,
  account: ServiceAccountRef,
): Promise<string> {
  const path = `/api/v1/namespaces/${account.namespace}/serviceaccounts/${account.name}/token`;
  const reply = await client.create<TokenRequestReply>(path, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: TOKEN_EXPIRATION_SECONDS },
  });
  const token = reply.body.status?.token;
  if (!token) throw new Error(`POST ${path} returned no status.token: ${JSON.stringify(reply.body)}`);
  return token;
}

/** The text of a kubeconfig for `adminKubeconfig`'s cluster that authenticates with `token` only. */
export function serviceAccountKubeconfig(
  adminKubeconfig: string,
  account: ServiceAccountRef,
  token: string,
): string {
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error(`${adminKubeconfig} has no current cluster: set current-context`);
  const user = `system:serviceaccount:${account.namespace}:${account.name}`;
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user, token }],
    contexts: [{ name: CONTEXT_NAME, cluster: cluster.name, user, namespace: account.namespace }],
    currentContext: CONTEXT_NAME,
  });
  return config.exportConfig();
}
