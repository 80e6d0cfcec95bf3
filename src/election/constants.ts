// Names of the DataKit election (SPEC §10): wire paths, Kubernetes names and labels, and the limits that
// the protocols fix. Both DataKit generations depend on these exact strings.

/** Central election (DataKit >= 2.12, SPEC §10.1). */
export const CAMPAIGN_PATH = '/v1/dk-election';
export const HEARTBEAT_PATH = '/v1/dk-election/heartbeat';
export const STATUS_PATH = '/v1/dk-election/status';

/** Task election (DataKit 1.7 - 1.84, SPEC §10.2). `HEAD /ping` (the mode probe) is a server route. */
export const TASK_ELECTION_PATH = '/v1/datakit/election';

/** Every election Lease name starts with this; the rest is a hash, so no token ever shows in a name. */
export const LEASE_NAME_PREFIX = 'datakit-election-';
/** The label on the one-per-scope Leases of the central election; the watch cache selects on it. */
export const MANAGED_LABEL_KEY = 'election.datakits.io/managed';
export const MANAGED_LABEL_VALUE = 'true';

/** The one Lease through which replicas share task-election membership (see task-membership-codec.ts). */
export const TASK_MEMBERSHIP_LEASE_NAME = 'datakit-election-task-membership';
export const TASK_MEMBERSHIP_LABEL_KEY = 'election.datakits.io/task-membership';
export const TASK_MEMBERSHIP_ANNOTATION = 'election.datakits.io/members';

/** A conflicting write is retried this many times before the request gets 503 (SPEC §10.1). */
export const MAX_CAS_RETRIES = 5;

/** DataKit <= 1.84 switches to an answer once the same answer came this many times in a row (SPEC §10.2). */
export const CONFIRMING_ANSWERS = 3;

/** A DataKit that has not polled the task election for this long is no longer live (SPEC §10.2). */
export const TASK_LIVENESS_MS = 10_000;

export const ELECTION_STATUS = { success: 'success', defeat: 'defeat', error: 'error' } as const;
export type ElectionStatus = (typeof ELECTION_STATUS)[keyof typeof ELECTION_STATUS];

/** Why the election store cannot answer: the `error_code` of a 503 (SPEC §10.1). */
export type StoreFailureCode = 'rbac_forbidden' | 'cache_not_ready' | 'storage_unavailable';
/** Every `error_code` of a 503: a store failure, or a campaign for one scope more than `election.max_scopes`. */
export type ElectionFailureCode = StoreFailureCode | 'scope_limit';

/** Request parameters longer than these (in UTF-8 bytes) are refused with 400 (SPEC §10.1, bounds). */
export const MAX_PARAMETER_BYTES = { token: 1024, namespace: 253, id: 253 } as const;

/** A scope whose Lease has been expired for this many lease durations is forgotten (SPEC §10.1). */
export const FORGET_EXPIRED_SCOPE_LEASES = 10;

export const MISSING_PARAMETERS_MESSAGE = 'token and id cannot be empty';
