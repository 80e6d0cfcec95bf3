// Every Kubernetes name, path and annotation key the DDTrace injector uses (SPEC §4, §6).

import { DDTRACE_INIT_CONTAINER_NAME, DDTRACE_MOUNT_PATH } from '../../mutation/operator-names.ts';

export const FEATURE = 'ddtrace';

export const INIT_CONTAINER_NAME = DDTRACE_INIT_CONTAINER_NAME;
export const VOLUME_NAME = 'datakit-auto-instrument';
export const MOUNT_PATH = DDTRACE_MOUNT_PATH;
/** The init images copy the agent into the shared volume with this script. */
export const INIT_COMMAND: readonly string[] = ['sh', 'copy-lib.sh', MOUNT_PATH];

export const ANNOTATION_JAVA_VERSION = 'admission.datakit/java-lib.version';
export const ANNOTATION_PYTHON_VERSION = 'admission.datakit/python-lib.version';
export const ANNOTATION_NODEJS_VERSION = 'admission.datakit/nodejs-lib.version';
/** Read by v2 `ddtraces` php rules with `check_annotation: true` (no v1 section selects PHP). */
export const ANNOTATION_PHP_VERSION = 'admission.datakit/php-lib.version';
/** Accepted as an alias of the nodejs annotation. */
export const ANNOTATION_JS_VERSION = 'admission.datakit/js-lib.version';

/** PHP's own scan directory in the official images, kept first when PHP_INI_SCAN_DIR was not set. */
export const PHP_INI_SCAN_DIR_DEFAULT = '/usr/local/etc/php/conf.d';

/** v2 rules with `check_annotation: true` need `admission.datakit/<language>-lib.version` (reference §1.6). */
export function v2VersionAnnotation(language: string): string {
  return `admission.datakit/${language}-lib.version`;
}
