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

/** The encodings the logfwd tailer decodes; an empty value means "as is". */
export const CHARACTER_ENCODINGS: readonly string[] = ['utf-8', 'utf-16le', 'utf-16be', 'gbk', 'gb18030'];

/**
 * Characters that start a glob in a logfile path. `{` is included beyond SPEC §7's `* ? [` because the
 * logfwd tailer's doublestar globs expand `{a,b}` alternatives: treating it as literal would mount a
 * directory literally named `{a,b}`, which the app never writes to.
 */
export const GLOB_CHARACTERS = /[*?[{]/;
