// Where the configuration comes from (SPEC §2) and how its text becomes a validated OperatorConfig:
// `--config FILE` or ENV_CONFIG_FILE, else ENV_JSON_CONFIG, else the built-in defaults; legacy single-value
// env vars on top. The only I/O here is reading the file; everything else is pure.

import { readFileSync } from 'node:fs';
import { ErrorCode } from '../errors/codes.ts';
import { problem, problemOf, type Problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { resolveConfig, type ResolvedConfig } from './schema.ts';
import { ENV_CONFIG_FILE, ENV_JSON_CONFIG, legacyEnvOverrides, nonEmptyEnv } from './legacy-env.ts';
import { describeJsonSyntaxError } from './json-syntax.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigSources {
  readonly file?: string;
  readonly jsonText?: string;
  readonly env: Env;
}

/** How the origin of a config without a file or ENV_JSON_CONFIG is named in logs. */
export const BUILT_IN_DEFAULTS_ORIGIN = 'built-in defaults';

/** --config FILE wins over env ENV_CONFIG_FILE; ENV_JSON_CONFIG is used only when no file is given. */
export function resolveConfigSources(argvConfigFile: string | undefined, env: Env): ConfigSources {
  const file =
    argvConfigFile !== undefined && argvConfigFile !== ''
      ? argvConfigFile
      : nonEmptyEnv(env, ENV_CONFIG_FILE);
  if (file !== undefined) return { file, env };
  const jsonText = nonEmptyEnv(env, ENV_JSON_CONFIG);
  return jsonText === undefined ? { env } : { jsonText, env };
}

export interface LoadedConfig extends ResolvedConfig {
  readonly origin: string;
}

/**
 * A failure is one problem that sums up the individual ones (`problems`): a file that cannot be read, the
 * JSON syntax error with its line and column, or every invalid key.
 */
export type LoadResult = Result<LoadedConfig>;

/** Pure: parse text (JSON syntax errors give line and column), merge, apply legacy env overrides, validate. */
export function parseConfigText(text: string, origin: string, env: Env): LoadResult {
  // Editors on Windows save JSON with a byte-order mark, which JSON.parse rejects.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    const { line, column, message } = describeJsonSyntaxError(json, error);
    return err(
      problemOf(
        ErrorCode.CONFIG_SYNTAX,
        `invalid JSON in ${origin} at line ${line}, column ${column}: ${message}`,
        [problem(ErrorCode.CONFIG_SYNTAX, `${origin}:${line}:${column}: ${message}`)],
      ),
    );
  }
  return resolveDocument(document, origin, env);
}

/** Reads the file if any (a missing/unreadable file is an error naming the path), else ENV_JSON_CONFIG, else defaults. */
export function loadConfig(sources: ConfigSources): LoadResult {
  return loadConfigAndText(sources).loaded;
}

/**
 * The load result and, for a config file, the text it was parsed from: the hot reload compares later
 * reads with that very text, so a change written right after this read is not taken as the baseline.
 */
export function loadConfigAndText(sources: ConfigSources): {
  readonly loaded: LoadResult;
  readonly fileText: string | undefined;
} {
  if (sources.file !== undefined) {
    const read = readConfigFile(sources.file);
    return read.ok
      ? { loaded: parseConfigText(read.value, sources.file, sources.env), fileText: read.value }
      : { loaded: read, fileText: undefined };
  }
  if (sources.jsonText !== undefined) {
    return { loaded: parseConfigText(sources.jsonText, ENV_JSON_CONFIG, sources.env), fileText: undefined };
  }
  return { loaded: resolveDocument({}, BUILT_IN_DEFAULTS_ORIGIN, sources.env), fileText: undefined };
}

/** The file's text, or the error that names the path and says why it could not be read. */
export function readConfigFile(file: string): Result<string> {
  try {
    return ok(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = describeFileError(error);
    const message = `cannot read the config file ${file}: ${reason}`;
    return err(problemOf(ErrorCode.CONFIG_FILE, message, [problem(ErrorCode.CONFIG_FILE, message)]));
  }
}

function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file (check --config or ENV_CONFIG_FILE)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}

function resolveDocument(document: unknown, origin: string, env: Env): LoadResult {
  const resolved = resolveConfig(document, { overrides: legacyEnvOverrides(env) });
  if (resolved.ok) return ok({ ...resolved.value, origin });
  const problems: readonly Problem[] = resolved.error;
  const count = problems.length;
  return err(
    problemOf(
      ErrorCode.CONFIG_INVALID,
      `invalid configuration in ${origin} (${count} ${count === 1 ? 'problem' : 'problems'})`,
      problems,
    ),
  );
}
