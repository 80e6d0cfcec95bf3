// Every Kubernetes name, path and annotation key the profiler injector uses (SPEC §4.4, §8).

export const FEATURE = 'profiler';

export const ANNOTATION_JAVA_PROFILER_VERSION = 'admission.datakit/java-profiler.version';
export const ANNOTATION_PYTHON_PROFILER_VERSION = 'admission.datakit/python-profiler.version';
export const ANNOTATION_GOLANG_PROFILER_VERSION = 'admission.datakit/golang-profiler.version';

export const SIDECAR_NAME = 'datakit-profiler';
/** The profiler images start their scheduler with this script, from the working directory below. */
export const SIDECAR_COMMAND: readonly string[] = ['bash', 'cmd.sh'];
/** ptrace to read the app's stacks (py-spy, jattach); SYS_ADMIN for perf_events (async-profiler). */
export const SIDECAR_CAPABILITIES: readonly string[] = ['SYS_PTRACE', 'SYS_ADMIN'];

/**
 * Shared by the profiler and the app: async-profiler puts the library it loads into the JVM here, and
 * the JVM opens it by this path in its own filesystem.
 */
export const WORKDIR_VOLUME_NAME = 'datakit-profiler-volume';
export const WORKDIR_MOUNT_PATH = '/app/datakit-profiler';

/** The JVM publishes hsperfdata (found by `jps`) and its attach socket under /tmp. */
export const TMP_MOUNT_PATH = '/tmp';
/** Names for the /tmp emptyDir, in order of preference: upstream's name first, ours when a user took it. */
export const TMP_VOLUME_NAMES: readonly string[] = ['tmp', 'datakit-profiler-tmp'];

export const TIMEZONE_PATH = '/etc/localtime';
export const TIMEZONE_VOLUME_NAMES: readonly string[] = ['timezone', 'datakit-profiler-timezone'];
export const HOST_PATH_FILE_OR_CREATE = 'FileOrCreate';
