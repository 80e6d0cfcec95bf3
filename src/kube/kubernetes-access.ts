// Whether the operator could talk to a Kubernetes API server (SPEC §1 "Kubernetes access"): in a cluster
// (a service-account token AND KUBERNETES_SERVICE_HOST) or through a kubeconfig (`--kubeconfig` or
// KUBECONFIG). Without either it runs the embedded default and must say so at start.

export const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
export const ENV_KUBERNETES_SERVICE_HOST = 'KUBERNETES_SERVICE_HOST';
export const ENV_KUBECONFIG = 'KUBECONFIG';

export type KubernetesAccess =
  | { readonly kind: 'in-cluster' }
  | { readonly kind: 'kubeconfig'; readonly file: string }
  | { readonly kind: 'none' };

export interface KubernetesAccessInputs {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly kubeconfigFlag: string | undefined;
  readonly serviceAccountTokenExists: boolean;
}

/** Pure: an explicit kubeconfig wins (it is how tests point the operator at a local API server). */
export function resolveKubernetesAccess(inputs: KubernetesAccessInputs): KubernetesAccess {
  const kubeconfig = nonEmpty(inputs.kubeconfigFlag) ?? nonEmpty(inputs.env[ENV_KUBECONFIG]);
  if (kubeconfig !== undefined) return { kind: 'kubeconfig', file: kubeconfig };
  if (inputs.serviceAccountTokenExists && nonEmpty(inputs.env[ENV_KUBERNETES_SERVICE_HOST]) !== undefined) {
    return { kind: 'in-cluster' };
  }
  return { kind: 'none' };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
