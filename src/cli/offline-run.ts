// The steps `inject` and `explain` share (SPEC §13): flags → config → manifests → the webhook's core on
// every pod template. Each failure is printed here, naming the file, the document and the field, and
// becomes an exit code: 2 for a usage mistake, 1 for bad input (the config or the manifests).

import { readFileSync } from 'node:fs';
import { loadConfig, resolveConfigSources } from '../config/load.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { FEATURES } from '../injectors/registry.ts';
import { injectDocument } from '../workloads/inject-document.ts';
import { parseManifestStream } from '../workloads/manifest-stream.ts';
import { resolveOfflineServerVersion } from '../workloads/server-version.ts';
import type { DocumentInjection, ObjectIdentity } from '../workloads/types.ts';
import {
  ExitCode,
  booleanOption,
  stringOption,
  type CliIo,
  type Command,
  type OptionValues,
} from './command.ts';
import { readStream, stdinOf } from './offline-io.ts';
import { dispatch } from './dispatch.ts';
import { printProblem } from './print-error.ts';
import { PROGRAM_NAME, formatCommandUsage } from './usage.ts';

export const STDIN_FILENAME = '-';
/** How standard input is named in messages. */
export const STDIN_SOURCE = '<stdin>';
export const DEFAULT_NAMESPACE = 'default';

/** The flags both commands take; `-o` differs only in the formats it allows. */
export const OFFLINE_OPTIONS = {
  filename: { type: 'string', short: 'f' },
  config: { type: 'string' },
  output: { type: 'string', short: 'o' },
  namespace: { type: 'string', short: 'n' },
  'kubernetes-version': { type: 'string' },
  strict: { type: 'boolean' },
} as const;

/** Every warning of the documents: the core's, and the annotation mistakes (workloads/annotation-lint.ts). */
export function runWarnings(documents: readonly InjectedDocument[]): string[] {
  const warnings: string[] = [];
  for (const { injection } of documents) {
    for (const decision of injection.decisions) {
      if (decision.type !== 'template') continue;
      const where = describeObject(decision.identity);
      for (const warning of [...decision.lint, ...decision.warnings])
        warnings.push(`${where}: warning: ${warning}`);
    }
  }
  return warnings;
}

/**
 * `--strict`: exit 1 when the run had any warning, so that `explain`/`inject` can gate a CI pipeline.
 * Says why on stderr; the output was already printed.
 */
export function strictExitCode(values: OptionValues, warnings: readonly string[], io: CliIo): ExitCode {
  if (!booleanOption(values, 'strict') || warnings.length === 0) return ExitCode.OK;
  io.stderr(`${PROGRAM_NAME}: --strict: ${warnings.length} warning(s)\n`);
  return ExitCode.BAD_INPUT;
}

export interface InjectedDocument {
  /** 1-based position in the input stream. */
  readonly index: number;
  readonly injection: DocumentInjection;
}

export interface OfflineRun<F extends string> {
  readonly source: string;
  readonly output: F;
  readonly documents: readonly InjectedDocument[];
  /** The config's warnings and ignored entries, printed on stderr when it was loaded; --strict counts them. */
  readonly configWarnings: readonly string[];
}

export type Prepared<F extends string> =
  { readonly ok: true; readonly run: OfflineRun<F> } | { readonly ok: false; readonly code: ExitCode };

function usageError(io: CliIo, command: Command, message: string): { ok: false; code: ExitCode } {
  io.stderr(`${PROGRAM_NAME}: ${message}\n\n${formatCommandUsage(command)}`);
  return { ok: false, code: ExitCode.USAGE };
}

function badInput(io: CliIo, message: string): { ok: false; code: ExitCode } {
  io.stderr(`${message}\n`);
  return { ok: false, code: ExitCode.BAD_INPUT };
}

/** `Deployment default/nginx`, as warnings and `explain` name an object. */
export function describeObject(identity: ObjectIdentity): string {
  const name = identity.name === '' ? '(unnamed)' : identity.name;
  return `${identity.kind} ${identity.namespace === '' ? name : `${identity.namespace}/${name}`}`;
}

/** Runs one offline command from the words after its name, as the command table would. */
export async function runOfflineCommand(
  command: Command,
  args: readonly string[],
  io: CliIo,
): Promise<ExitCode> {
  return dispatch([...command.path, ...args], [command], io);
}

export async function prepareOfflineRun<F extends string>(
  values: OptionValues,
  io: CliIo,
  command: Command,
  formats: readonly [F, ...F[]],
): Promise<Prepared<F>> {
  const filename = stringOption(values, 'filename');
  if (filename === undefined || filename === '') {
    return usageError(
      io,
      command,
      `${command.path.join(' ')} needs -f FILE (or -f - to read standard input)`,
    );
  }
  const output = stringOption(values, 'output') ?? formats[0];
  const format = formats.find((candidate) => candidate === output);
  if (format === undefined) {
    return usageError(io, command, `-o ${JSON.stringify(output)} is not one of ${formats.join(', ')}`);
  }
  const namespace = stringOption(values, 'namespace') ?? DEFAULT_NAMESPACE;
  if (namespace === '') return usageError(io, command, '--namespace needs a namespace name');

  const loaded = loadConfig(resolveConfigSources(stringOption(values, 'config'), io.env));
  if (!loaded.ok) {
    printProblem(io, loaded.error);
    return { ok: false, code: ExitCode.BAD_INPUT };
  }
  const loadedConfig = loaded.value;
  const configWarnings = [...loadedConfig.ignored, ...loadedConfig.warnings].map(
    (warning) => `${loadedConfig.origin}: warning: ${warning}`,
  );
  for (const warning of configWarnings) io.stderr(`${warning}\n`);
  const serverVersion = resolveOfflineServerVersion(
    stringOption(values, 'kubernetes-version'),
    loadedConfig.config.kubernetes_version,
  );
  if (!serverVersion.ok) return usageError(io, command, serverVersion.error);

  const source = filename === STDIN_FILENAME ? STDIN_SOURCE : filename;
  const text = await readInput(filename, io);
  if (!text.ok) return badInput(io, `${PROGRAM_NAME}: cannot read ${source}: ${text.error}`);

  const stream = parseManifestStream(text.value);
  if (!stream.ok) {
    const { document, line, column, message } = stream.error;
    return badInput(io, `${source}: document ${document}: line ${line}, column ${column}: ${message}`);
  }
  if (stream.value.length === 0) return badInput(io, `${source}: no Kubernetes objects found`);

  const options = {
    config: loadedConfig.config,
    serverVersion: serverVersion.value,
    defaultNamespace: namespace,
    features: FEATURES,
  };
  const documents: InjectedDocument[] = [];
  for (const { index, value } of stream.value) {
    const injected = injectDocument(value, options);
    if (!injected.ok) {
      return badInput(io, `${source}: document ${index}: ${injected.error.message}`);
    }
    documents.push({ index, injection: injected.value });
  }
  return { ok: true, run: { source, output: format, documents, configWarnings } };
}

async function readInput(filename: string, io: CliIo): Promise<Result<string, string>> {
  try {
    const text = filename === STDIN_FILENAME ? await readStream(stdinOf(io)) : readFileSync(filename, 'utf8');
    // Editors on Windows save with a byte-order mark, which is not part of the YAML.
    return ok(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    return err(describeReadError(error));
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}
