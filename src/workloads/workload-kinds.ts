// Which Kubernetes kinds hold a pod template, and where (SPEC §13). A table, so adding a kind is a row.
// The API group is checked as well as the kind, so a custom resource that happens to be called `Job`
// is passed through instead of being mistaken for a batch Job; a document without apiVersion (the
// manual's movies-java example) is recognised by its kind alone.

export const POD_KIND = 'Pod';
export const LIST_KIND = 'List';
export const LIST_KIND_SUFFIX = 'List';
export const LIST_ITEMS_FIELD = 'items';

const CORE_GROUP = '';
const POD_TEMPLATE = ['spec', 'template'] as const;
const CRON_JOB_POD_TEMPLATE = ['spec', 'jobTemplate', 'spec', 'template'] as const;

interface WorkloadKindRow {
  readonly kind: string;
  /** API groups that serve this kind (`extensions` for manifests written before apps/v1). */
  readonly groups: readonly string[];
  /** Path from the object to its pod template; empty for a Pod, which is its own template. */
  readonly templatePath: readonly string[];
}

const WORKLOAD_KINDS: readonly WorkloadKindRow[] = [
  { kind: POD_KIND, groups: [CORE_GROUP], templatePath: [] },
  { kind: 'Deployment', groups: ['apps', 'extensions'], templatePath: POD_TEMPLATE },
  { kind: 'DaemonSet', groups: ['apps', 'extensions'], templatePath: POD_TEMPLATE },
  { kind: 'StatefulSet', groups: ['apps'], templatePath: POD_TEMPLATE },
  { kind: 'ReplicaSet', groups: ['apps', 'extensions'], templatePath: POD_TEMPLATE },
  { kind: 'ReplicationController', groups: [CORE_GROUP], templatePath: POD_TEMPLATE },
  { kind: 'Job', groups: ['batch'], templatePath: POD_TEMPLATE },
  { kind: 'CronJob', groups: ['batch'], templatePath: CRON_JOB_POD_TEMPLATE },
];

export type KindResolution =
  | { readonly type: 'pod' }
  | { readonly type: 'template'; readonly templatePath: readonly string[] }
  | { readonly type: 'list' }
  | { readonly type: 'other'; readonly reason: string };

/** `apps/v1` → `apps`; `v1` → the core group. */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? CORE_GROUP : apiVersion.slice(0, slash);
}

export function isListKind(kind: string): boolean {
  return kind === LIST_KIND || (kind.endsWith(LIST_KIND_SUFFIX) && kind.length > LIST_KIND_SUFFIX.length);
}

/** The kind of the items of a typed list (`DeploymentList` → `Deployment`); undefined for a plain List. */
export function itemKindOfList(kind: string): string | undefined {
  return kind === LIST_KIND ? undefined : kind.slice(0, -LIST_KIND_SUFFIX.length);
}

/**
 * `hasItems`: whether the object has an `items` list. A kind that merely ends in `List` (a custom
 * resource such as `AllowList`) is a list only when it has one; a plain `List` always is.
 */
export function resolveKind(kind: string, apiVersion: string | undefined, hasItems: boolean): KindResolution {
  if (kind === LIST_KIND || (isListKind(kind) && hasItems)) return { type: 'list' };
  const row = WORKLOAD_KINDS.find((candidate) => candidate.kind === kind);
  if (row === undefined) return { type: 'other', reason: `a ${kind} has no pod template` };
  if (apiVersion !== undefined && !row.groups.includes(apiGroupOf(apiVersion))) {
    const expected = row.groups
      .map((group) => (group === CORE_GROUP ? 'the core group' : group))
      .join(' or ');
    return {
      type: 'other',
      reason: `apiVersion ${apiVersion} is not the Kubernetes ${kind} (served by ${expected})`,
    };
  }
  return row.templatePath.length === 0
    ? { type: 'pod' }
    : { type: 'template', templatePath: row.templatePath };
}
