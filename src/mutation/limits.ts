// Per-pod limits of the mutation core (SPEC §15). Anyone who may create a Pod controls its annotations,
// so every list the operator reads from them is bounded: far above real use, below what could stall the
// webhook or push the pod over the API server's own limits. The logfwd limits live with logfwd
// (injectors/logfwd/constants.ts); the README lists them all.

/** Entries of `admission.datakit/container-names`; more skips every feature that picks containers. */
export const MAX_CONTAINER_NAMES = 256;

/**
 * Containers one feature instruments in one pod. Each gets mounts and envs, so this bounds the work and
 * the size of the patch (a thousand containers would add over a megabyte to the pod).
 */
export const MAX_TARGET_CONTAINERS = 128;

/**
 * The patch, encoded. The API server stores objects of at most 1.5 MiB (etcd's default request limit):
 * a larger patch would make the pod impossible to create, so the pod is admitted unchanged instead.
 */
export const MAX_PATCH_BYTES = 1024 * 1024;

/** The size of the `admission.datakit/warnings` value; further warnings become "… and N more". */
export const MAX_WARNINGS_ANNOTATION_BYTES = 8 * 1024;

/** Warnings in one admission response (kubectl prints each); the rest are counted in a last one. */
export const MAX_RESPONSE_WARNINGS = 20;

/**
 * The API server's limit on a pod's annotations (keys + values, in bytes: apimachinery
 * `TotalAnnotationSizeLimitB`). The operator's status annotations are not written past it.
 */
export const MAX_TOTAL_ANNOTATION_BYTES = 256 * 1024;

/** How many names a warning lists before it says how many more there are. */
export const MAX_NAMES_IN_WARNING = 10;
