// Every Kubernetes name and annotation key of the `datakit/logs` mutation (reference §3).

export const FEATURE = 'logging';

/** DataKit's container-log annotation: written with the rule's config; a pod that has it is left alone. */
export const ANNOTATION_DATAKIT_LOGS = 'datakit/logs';

/** The emptyDir of the log directory at position `index` of the rule's list. */
export function logsVolumeName(index: number): string {
  return `datakit-logs-volume-${index}`;
}
