// The operator's own Secrets (SPEC §11: the self-managed TLS Secret), behind a narrow interface so that
// the certificate logic is tested without an API server. Values cross this boundary as text: the store
// does the base64 of the wire format. Writes are optimistic: `create` reports an existing Secret and
// `replace` a stale resourceVersion as a conflict VALUE (HTTP 409), which is how two replicas starting or
// renewing at once agree on one Secret. Any other failure throws, with the API server's answer.

import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { apiStatusOf, bounded, HTTP_CONFLICT, HTTP_NOT_FOUND } from './api-status.ts';

export interface StoredSecret {
  readonly name: string;
  readonly resourceVersion: string;
  readonly type: string;
  /** Decoded values (UTF-8 text), by key. */
  readonly data: Readonly<Record<string, string>>;
}

export interface SecretToWrite {
  readonly name: string;
  readonly type: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, string>>;
}

export type SecretWrite =
  { readonly written: true; readonly secret: StoredSecret } | { readonly written: false };

export interface SecretStore {
  /** Undefined when the Secret does not exist. */
  get(name: string): Promise<StoredSecret | undefined>;
  /** Not written when a Secret of that name already exists (someone else created it first). */
  create(secret: SecretToWrite): Promise<SecretWrite>;
  /** Compare-and-swap: not written when the Secret changed since `resourceVersion` was read. */
  replace(secret: SecretToWrite, resourceVersion: string): Promise<SecretWrite>;
}

export function buildSecretStore(config: KubeConfig, namespace: string): SecretStore {
  const api = config.makeApiClient(CoreV1Api);
  return {
    async get(name) {
      try {
        return fromWire(await bounded(api.readNamespacedSecret({ name, namespace }), `read Secret ${name}`));
      } catch (error) {
        if (apiStatusOf(error) === HTTP_NOT_FOUND) return undefined;
        throw error;
      }
    },
    async create(secret) {
      try {
        const created = await bounded(
          api.createNamespacedSecret({ namespace, body: toWire(secret, namespace) }),
          `create Secret ${secret.name}`,
        );
        return { written: true, secret: fromWire(created) };
      } catch (error) {
        if (apiStatusOf(error) === HTTP_CONFLICT) return { written: false };
        throw error;
      }
    },
    async replace(secret, resourceVersion) {
      try {
        const body = toWire(secret, namespace, resourceVersion);
        const replaced = await bounded(
          api.replaceNamespacedSecret({ name: secret.name, namespace, body }),
          `replace Secret ${secret.name}`,
        );
        return { written: true, secret: fromWire(replaced) };
      } catch (error) {
        if (apiStatusOf(error) === HTTP_CONFLICT) return { written: false };
        throw error;
      }
    },
  };
}

function toWire(secret: SecretToWrite, namespace: string, resourceVersion?: string): V1Secret {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data))
    data[key] = Buffer.from(value, 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: secret.name,
      namespace,
      labels: { ...secret.labels },
      ...(resourceVersion !== undefined ? { resourceVersion } : {}),
    },
    type: secret.type,
    data,
  };
}

function fromWire(secret: V1Secret): StoredSecret {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {}))
    data[key] = Buffer.from(value, 'base64').toString('utf8');
  return {
    name: secret.metadata?.name ?? '',
    resourceVersion: secret.metadata?.resourceVersion ?? '',
    type: secret.type ?? '',
    data,
  };
}
