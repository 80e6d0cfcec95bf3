// The operator's own namespace (SPEC §1): where its Leases and its TLS Secret live. Config `namespace`
// wins (a Helm release sets it), then env POD_NAMESPACE (the Downward API), then the namespace of the
// mounted service-account token, then `datakit`, the namespace the manual installs into.

import { readFileSync } from 'node:fs';

export const ENV_POD_NAMESPACE = 'POD_NAMESPACE';
export const SERVICE_ACCOUNT_NAMESPACE_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';
export const FALLBACK_OPERATOR_NAMESPACE = 'datakit';

export interface OperatorNamespaceInputs {
  /** Config `namespace`; empty when not set. */
  readonly configured: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The content of the service-account namespace file, undefined when there is none. */
  readonly serviceAccountNamespace: string | undefined;
}

/** Pure: the first non-empty source, in the order of SPEC §1. */
export function resolveOperatorNamespace(inputs: OperatorNamespaceInputs): string {
  const candidates = [inputs.configured, inputs.env[ENV_POD_NAMESPACE], inputs.serviceAccountNamespace];
  for (const candidate of candidates) {
    const trimmed = candidate?.trim();
    if (trimmed) return trimmed;
  }
  return FALLBACK_OPERATOR_NAMESPACE;
}

/** The mounted service-account namespace, undefined outside a pod. */
export function readServiceAccountNamespace(path = SERVICE_ACCOUNT_NAMESPACE_PATH): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
