// The environment variables the upstream operator read (SPEC §2). Existing Deployments set them, so they
// keep working: the config sources, and single values applied on top of whichever document was loaded.

import type { ConfigOverride } from './merge.ts';

/** A config file path (watched and hot-reloaded); `--config FILE` wins over it. */
export const ENV_CONFIG_FILE = 'ENV_CONFIG_FILE';
/** A whole config document as a JSON string, read once at start; used only when no file is given. */
export const ENV_JSON_CONFIG = 'ENV_JSON_CONFIG';

export const ENV_LOG_LEVEL = 'ENV_LOG_LEVEL';
export const ENV_SERVER_LISTEN = 'ENV_SERVER_LISTEN';
export const ENV_DD_AGENT_HOST = 'ENV_DD_AGENT_HOST';
export const ENV_DD_TRACE_AGENT_PORT = 'ENV_DD_TRACE_AGENT_PORT';
export const ENV_DD_JAVA_AGENT_IMAGE = 'ENV_DD_JAVA_AGENT_IMAGE';
export const ENV_DD_PYTHON_AGENT_IMAGE = 'ENV_DD_PYTHON_AGENT_IMAGE';
export const ENV_DD_JS_AGENT_IMAGE = 'ENV_DD_JS_AGENT_IMAGE';
export const ENV_LOGFWD_IMAGE = 'ENV_LOGFWD_IMAGE';

const DDTRACE = ['admission_inject', 'ddtrace'] as const;

/** Each legacy variable and the document value it replaces. */
export const LEGACY_ENV_OVERRIDES: readonly { readonly env: string; readonly path: readonly string[] }[] = [
  { env: ENV_LOG_LEVEL, path: ['log_level'] },
  { env: ENV_SERVER_LISTEN, path: ['server_listen'] },
  // These two replace an entry of `ddtrace.envs`, keeping its position (or appending it when the user's
  // `envs` dropped it), so the operator's own DataKit address reaches every instrumented pod.
  { env: ENV_DD_AGENT_HOST, path: [...DDTRACE, 'envs', 'DD_AGENT_HOST'] },
  { env: ENV_DD_TRACE_AGENT_PORT, path: [...DDTRACE, 'envs', 'DD_TRACE_AGENT_PORT'] },
  { env: ENV_DD_JAVA_AGENT_IMAGE, path: [...DDTRACE, 'images', 'java_agent_image'] },
  { env: ENV_DD_PYTHON_AGENT_IMAGE, path: [...DDTRACE, 'images', 'python_agent_image'] },
  { env: ENV_DD_JS_AGENT_IMAGE, path: [...DDTRACE, 'images', 'js_agent_image'] },
  { env: ENV_LOGFWD_IMAGE, path: ['admission_inject', 'logfwd', 'images', 'logfwd_image'] },
];

/** An empty variable counts as unset, as a Deployment commonly templates `value: ""`. */
export function nonEmptyEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function legacyEnvOverrides(env: Readonly<Record<string, string | undefined>>): ConfigOverride[] {
  return LEGACY_ENV_OVERRIDES.flatMap(({ env: name, path }) => {
    const value = nonEmptyEnv(env, name);
    return value === undefined ? [] : [{ path, value, source: name }];
  });
}
