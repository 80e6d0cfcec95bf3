// coordination.k8s.io/v1 Leases in one namespace: read, create-if-absent, compare-and-swap replace and
// delete, and a label- or field-selected list+watch cache. The rest of the operator sees plain LeaseObjects and two
// error classes, never client-node types (ARCHITECTURE §1: kube/ is the one edge to the API server).

import {
  CoordinationV1Api,
  ListWatch,
  V1MicroTime,
  Watch,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import { apiStatusOf, bounded, HTTP_CONFLICT, HTTP_NOT_FOUND, KubeRequestError } from './api-status.ts';
import { superviseInformer } from './informer-supervisor.ts';

export const LEASES_API_PATH = '/apis/coordination.k8s.io/v1';

export interface LeaseObject {
  readonly name: string;
  /** Empty for content not yet written. */
  readonly resourceVersion: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly leaseTransitions: number;
  readonly acquireTime: Date | undefined;
  readonly renewTime: Date | undefined;
}

export type LeaseContent = Omit<LeaseObject, 'resourceVersion'>;

/** HTTP 409 (or 404 under a replace): someone else wrote first. */
export class KubeConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConflictError';
  }
}

export interface LeaseClient {
  read(name: string): Promise<LeaseObject | undefined>;
  create(content: LeaseContent): Promise<LeaseObject>;
  replace(content: LeaseContent, expectedResourceVersion: string): Promise<LeaseObject>;
  /** Deletes only that version (a precondition): KubeConflictError when it changed; gone already is fine. */
  delete(name: string, expectedResourceVersion: string): Promise<void>;
}

export function buildLeaseClient(config: KubeConfig, namespace: string): LeaseClient {
  const api = config.makeApiClient(CoordinationV1Api);
  return {
    async read(name) {
      try {
        return toLeaseObject(
          await bounded(api.readNamespacedLease({ name, namespace }), `read Lease ${name}`),
        );
      } catch (error) {
        if (apiStatusOf(error) === HTTP_NOT_FOUND) return undefined;
        throw requestError(`read Lease ${namespace}/${name}`, error);
      }
    },
    async create(content) {
      try {
        const body = toV1Lease(content, namespace, undefined);
        return toLeaseObject(
          await bounded(api.createNamespacedLease({ namespace, body }), `create Lease ${content.name}`),
        );
      } catch (error) {
        if (apiStatusOf(error) === HTTP_CONFLICT)
          throw new KubeConflictError(`Lease ${namespace}/${content.name} already exists`);
        throw requestError(`create Lease ${namespace}/${content.name}`, error);
      }
    },
    async replace(content, expectedResourceVersion) {
      try {
        const body = toV1Lease(content, namespace, expectedResourceVersion);
        const name = content.name;
        return toLeaseObject(
          await bounded(api.replaceNamespacedLease({ name, namespace, body }), `replace Lease ${name}`),
        );
      } catch (error) {
        const status = apiStatusOf(error);
        if (status === HTTP_CONFLICT || status === HTTP_NOT_FOUND) {
          throw new KubeConflictError(
            `Lease ${namespace}/${content.name} changed since resourceVersion ${expectedResourceVersion}`,
          );
        }
        throw requestError(`replace Lease ${namespace}/${content.name}`, error);
      }
    },
    async delete(name, expectedResourceVersion) {
      try {
        const body = { preconditions: { resourceVersion: expectedResourceVersion } };
        await bounded(api.deleteNamespacedLease({ name, namespace, body }), `delete Lease ${name}`);
      } catch (error) {
        const status = apiStatusOf(error);
        if (status === HTTP_NOT_FOUND) return;
        if (status === HTTP_CONFLICT)
          throw new KubeConflictError(
            `Lease ${namespace}/${name} changed since resourceVersion ${expectedResourceVersion}`,
          );
        throw requestError(`delete Lease ${namespace}/${name}`, error);
      }
    },
  };
}

export interface LeaseWatch {
  /** Lists, then watches; restarts with backoff after any failure until stopped. */
  start(): void;
  stop(): Promise<void>;
  /** True once the first list succeeded: the cache then holds every selected Lease. */
  hasSynced(): boolean;
  get(name: string): LeaseObject | undefined;
  list(): readonly LeaseObject[];
  /** How many Leases the cache holds, without copying them. */
  count(): number;
}

export interface LeaseWatchOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Told about every failure of the list or the watch (each is followed by a restart). */
  readonly onError: (error: unknown) => void;
  /** Told about every object the watch adds or updates, as it arrives. */
  readonly onChange?: (lease: LeaseObject) => void;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export function watchLeases(config: KubeConfig, namespace: string, options: LeaseWatchOptions): LeaseWatch {
  const api = config.makeApiClient(CoordinationV1Api);
  let synced = false;

  const informer = new ListWatch<V1Lease>(
    `${LEASES_API_PATH}/namespaces/${namespace}/leases`,
    new Watch(config),
    async () => {
      const list = await api.listNamespacedLease({
        namespace,
        ...(options.labelSelector !== undefined ? { labelSelector: options.labelSelector } : {}),
        ...(options.fieldSelector !== undefined ? { fieldSelector: options.fieldSelector } : {}),
      });
      synced = true;
      // The list runs only after start(), so `supervisor` (declared below) is set by then.
      supervisor.resetBackoff();
      return list;
    },
    false,
    options.labelSelector,
    options.fieldSelector,
  );
  const supervisor = superviseInformer(informer, options);
  const onChange = options.onChange;
  if (onChange !== undefined) {
    const tell = (lease: V1Lease): void => onChange(toLeaseObject(lease));
    informer.on('add', tell);
    informer.on('update', tell);
  }

  return {
    start: () => supervisor.start(),
    stop: () => supervisor.stop(),
    hasSynced: () => synced,
    get(name) {
      const found = informer.get(name, namespace);
      return found === undefined ? undefined : toLeaseObject(found);
    },
    list: () => informer.list(namespace).map(toLeaseObject),
    count: () => informer.list(namespace).length,
  };
}

/**
 * Watch events carry raw JSON and lists carry deserialised objects; MicroTime fields are strings in both
 * (client-node has no deserialiser for them), so everything is read tolerantly.
 */
export function toLeaseObject(lease: V1Lease): LeaseObject {
  const spec = lease.spec ?? {};
  return {
    name: lease.metadata?.name ?? '',
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    labels: { ...lease.metadata?.labels },
    annotations: { ...lease.metadata?.annotations },
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    leaseTransitions: spec.leaseTransitions ?? 0,
    acquireTime: readTime(spec.acquireTime),
    renewTime: readTime(spec.renewTime),
  };
}

function toV1Lease(content: LeaseContent, namespace: string, resourceVersion: string | undefined): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: content.name,
      namespace,
      labels: { ...content.labels },
      annotations: { ...content.annotations },
      ...(resourceVersion !== undefined ? { resourceVersion } : {}),
    },
    spec: {
      holderIdentity: content.holderIdentity,
      leaseDurationSeconds: content.leaseDurationSeconds,
      leaseTransitions: content.leaseTransitions,
      // MicroTime needs exactly six fractional digits; V1MicroTime serialises that way.
      ...(content.acquireTime !== undefined ? { acquireTime: new V1MicroTime(content.acquireTime) } : {}),
      ...(content.renewTime !== undefined ? { renewTime: new V1MicroTime(content.renewTime) } : {}),
    },
  };
}

function readTime(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value !== 'string') return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

function requestError(what: string, error: unknown): KubeRequestError {
  if (error instanceof KubeRequestError) return error;
  const status = apiStatusOf(error);
  const reason = status === undefined ? (error as Error).message : `HTTP ${status}`;
  return new KubeRequestError(`${what}: ${reason}`, status, { cause: error });
}
