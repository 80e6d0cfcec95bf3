// Every Kubernetes name, path, env name and annotation key the logfwd injector uses (SPEC §7).

export const FEATURE = 'logfwd';

/** Pod annotation: the JSON array of logfwd instances; its presence is what turns logfwd on (SPEC §4.5). */
export const ANNOTATION_INSTANCES = 'admission.datakit/logfwd.instances';

/** The config key users set to let logfwd read a volume their container already mounts. */
export const REUSE_EXIST_VOLUME_KEY = 'admission_inject.logfwd.options.reuse_exist_volume';

/** The first sidecar's name; the others are `datakit-logfwd-2`, `datakit-logfwd-3`, … */
export const SIDECAR_NAME = 'datakit-logfwd';

/** The sidecar for instance `index` (0-based): logfwd reads only the first instance of its config. */
export function sidecarName(index: number): string {
  return index === 0 ? SIDECAR_NAME : `${SIDECAR_NAME}-${index + 1}`;
}

/** Volumes the operator adds for log directories: `datakit-logfwd-volume-0`, `-1`, … */
export const VOLUME_NAME_PREFIX = 'datakit-logfwd-volume-';

export const ENV_JSON_CONFIG = 'LOGFWD_JSON_CONFIG';
export const ENV_POD_NAME = 'LOGFWD_POD_NAME';
export const ENV_POD_NAMESPACE = 'LOGFWD_POD_NAMESPACE';
export const FIELD_PATH_POD_NAME = 'metadata.name';
export const FIELD_PATH_POD_NAMESPACE = 'metadata.namespace';

// Per-pod limits (SPEC §15). Anyone who may create a Pod controls its annotations; these bound the work
// the annotation can cause, far above real use. Exceeding one skips logfwd only, with a warning that
// names the limit, its number and the count found.

/** Instances (= sidecars) of `admission.datakit/logfwd.instances` per pod. */
export const MAX_INSTANCES_PER_POD = 16;

/** Log paths per pod: the `logfiles` and `ignore` entries of every logging of every instance together. */
export const MAX_LOG_PATHS_PER_POD = 512;

/**
 * The characters of all log paths of a pod together: 512 paths of 128 characters. Planning is linear in
 * them, but a few hundred deeply nested paths must not cost the webhook more than a few milliseconds.
 */
export const MAX_LOG_PATH_CHARACTERS_PER_POD = 64 * 1024;

/**
 * Distinct log directories per pod, after de-duplication and covering (a directory inside another is
 * shared through the outer one): each becomes a shared volume or mount.
 */
export const MAX_LOG_DIRECTORIES_PER_POD = 64;

/**
 * Mounts logfwd adds to the app containers: target containers × new log directories. Each is a line in
 * the patch and the pod; this keeps a many-container pod's patch far below what the API server stores.
 */
export const MAX_SHARED_MOUNTS_PER_POD = 1024;

/** Mounts named in warnings per log directory (and for nested mounts): the rest are only counted. */
export const MAX_MOUNT_WARNINGS = 20;

/** Problems an invalid annotation reports one by one; the rest are counted ("… and N more problems"). */
export const MAX_PROBLEMS_REPORTED = 10;

/** Characters of a user's value quoted in a problem before it is cut ("…"). */
export const MAX_QUOTED_CHARACTERS = 100;

/** The encodings the logfwd tailer decodes; an empty value means "as is". */
export const CHARACTER_ENCODINGS: readonly string[] = ['utf-8', 'utf-16le', 'utf-16be', 'gbk', 'gb18030'];

/**
 * Characters that start a glob in a logfile path. `{` is included beyond SPEC §7's `* ? [` because the
 * logfwd tailer's doublestar globs expand `{a,b}` alternatives: treating it as literal would mount a
 * directory literally named `{a,b}`, which the app never writes to.
 */
export const GLOB_CHARACTERS = /[*?[{]/;

/** v2 rules (reference §5.2, §5.3): the rule's log_configs, and the pod's labels for the sidecar. */
export const ENV_LOG_CONFIGS = 'LOGFWD_LOG_CONFIGS';
export const POD_INFO_VOLUME_NAME = 'datakit-pod-info';
export const POD_INFO_MOUNT_PATH = '/etc/podinfo';
