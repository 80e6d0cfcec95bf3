// Every path, parameter and message of the cluster Pod API (issue 15 §3), in one place.

/** The routes are this prefix plus the core API's own paths (`pods`, `namespaces/<ns>/pods[/<name>]`). */
export const CLUSTER_API_PREFIX = '/v1/cluster/api/v1/';
export const PODS_API_PATH = '/api/v1/pods';

export const QUERY_VIEW = 'view';
export const QUERY_FIELD_SELECTOR = 'fieldSelector';
/** The one field selector supported: each DataKit asks for the pods of its own node. */
export const NODE_NAME_FIELD = 'spec.nodeName';

/** DataKit's eBPF collector asks for this one (upstream v1.8.9+). */
export const VIEW_EBPF_V1 = 'ebpf-v1';
/** The whole cached Pod: only for callers whose token may list (or get) those pods. */
export const VIEW_FULL = 'full';
export const VIEWS = [VIEW_EBPF_V1, VIEW_FULL] as const;
export type PodView = (typeof VIEWS)[number];

/** Dropped from every cached pod: nobody reads them and they are most of a pod's size. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export const MESSAGE_NOT_FOUND = 'not found';
export const MESSAGE_NOT_READY = 'Pod informer cache is not ready';
