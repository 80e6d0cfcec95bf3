// Where the e2e tier runs, read once from the environment: a harness it builds and starts itself (the
// default), or an existing cluster the user names. Pure: the caller passes the environment in.

export const ENV_E2E_KUBECONFIG = 'E2E_KUBECONFIG';
export const ENV_E2E_USE_KUBECONFIG = 'E2E_USE_KUBECONFIG';
export const ENV_KUBECONFIG = 'KUBECONFIG';
/** The address the API server uses to reach this machine's operator (default: its own loopback). */
export const ENV_E2E_WEBHOOK_HOST = 'E2E_WEBHOOK_HOST';
export const LOOPBACK_HOST = '127.0.0.1';

export type ClusterTarget =
  | { readonly kind: 'harness' }
  | { readonly kind: 'existing'; readonly kubeconfig: string; readonly source: string };

export interface E2eSettings {
  readonly cluster: ClusterTarget;
  /** Put in the webhook URL and in the serving certificate's SANs. */
  readonly webhookHost: string;
  /** Where the operator listens: loopback when the API server is on this host, else every interface. */
  readonly listenHost: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `E2E_KUBECONFIG` names an existing cluster. `KUBECONFIG` alone does not: a developer's everyday
 * kubeconfig must not silently become the target of a suite that registers a cluster-wide webhook, so it
 * takes `E2E_USE_KUBECONFIG=1` as well.
 */
export function resolveE2eSettings(env: Env): E2eSettings {
  const explicit = nonEmpty(env[ENV_E2E_KUBECONFIG]);
  const general = nonEmpty(env[ENV_KUBECONFIG]);
  let cluster: ClusterTarget = { kind: 'harness' };
  if (explicit !== undefined)
    cluster = { kind: 'existing', kubeconfig: explicit, source: ENV_E2E_KUBECONFIG };
  else if (general !== undefined && env[ENV_E2E_USE_KUBECONFIG] === '1') {
    // A KUBECONFIG list (a:b) is merged by kubectl; the e2e tier reads one file, the first.
    const first = general.split(':').find((part) => part !== '') ?? general;
    cluster = { kind: 'existing', kubeconfig: first, source: ENV_KUBECONFIG };
  }
  const webhookHost = nonEmpty(env[ENV_E2E_WEBHOOK_HOST]) ?? LOOPBACK_HOST;
  const loopback = webhookHost === LOOPBACK_HOST || webhookHost === 'localhost';
  return { cluster, webhookHost, listenHost: loopback ? LOOPBACK_HOST : '0.0.0.0' };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
