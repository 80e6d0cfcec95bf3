// Files mode (SPEC §11): the serving pair comes from `tls.cert_file`/`tls.key_file`, typically a mounted
// Secret that cert-manager rotates. Kubernetes updates such mounts by swapping a `..data` symlink in the
// directory, which a watch on the file itself misses, so the DIRECTORIES are watched, with a content-hash
// poll as the fallback (reload/file-watch.ts, shared with the config file). A pair that does not load (half
// written, key and cert from different rotations) is rejected and the previous pair stays in service.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors/codes.ts';
import { problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { watchFiles, type FileWatch } from '../reload/file-watch.ts';
import { ReloadableValue } from '../reload/reloadable.ts';
import type { TlsMaterial, TlsSource } from './tls-material.ts';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface WatchTlsFilesOptions {
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How often the content hash is compared even without a filesystem event. */
  readonly pollMs?: number;
  /** Editors and kubelet write in several steps: wait for the burst of events to settle. */
  readonly debounceMs?: number;
}

const DEFAULT_POLL_MS = 10_000;
const DEFAULT_DEBOUNCE_MS = 250;
const DEFAULT_MAX_WAIT_MS = 1_000;

/** Reads both files and checks that they form a usable pair (parsable PEM, key matching the cert). */
export function readTlsFiles(files: TlsFiles): Result<TlsMaterial> {
  const raw = readRawPair(files);
  return raw.ok ? checkPair(files, raw.value) : raw;
}

/** Loads the pair now (an error if it does not load) and keeps it current as the files change. */
export function watchTlsFiles(files: TlsFiles, options: WatchTlsFilesOptions): Result<TlsSource> {
  const initialRaw = readRawPair(files);
  const initial = initialRaw.ok ? checkPair(files, initialRaw.value) : initialRaw;
  if (!initial.ok) return initial;
  const { logger } = options;
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const source = new ReloadableValue<TlsMaterial>(initial.value, () => watch.close());

  // The watch reports each new content once, accepted or not: a broken pair on disk is logged once,
  // not at every poll, and the previous pair stays in service.
  const onChange = (raw: Result<TlsMaterial>): void => {
    const next = raw.ok ? checkPair(files, raw.value) : raw;
    if (!next.ok) {
      logger.error(
        { err: next.error, certFile: files.certFile, keyFile: files.keyFile },
        'the changed TLS files do not load; keeping the previous certificate',
      );
      return;
    }
    logger.info({ certFile: files.certFile, keyFile: files.keyFile }, 'TLS certificate reloaded from files');
    source.replace(next.value);
  };
  const watch: FileWatch = watchFiles(
    {
      paths: [files.certFile, files.keyFile],
      read: () => readRawPair(files),
      keyOf: (raw) => (raw.ok ? hashOf(raw.value) : 'unreadable'),
      baseline: initialRaw,
      onChange,
      onWatchError: (directory, cause) =>
        logger.warn({ err: cause, directory }, 'cannot watch the TLS directory; relying on polling'),
    },
    {
      pollMs: options.pollMs ?? DEFAULT_POLL_MS,
      debounceMs,
      maxWaitMs: Math.max(debounceMs, DEFAULT_MAX_WAIT_MS),
    },
  );
  return ok(source);
}

function readRawPair(files: TlsFiles): Result<TlsMaterial> {
  try {
    return ok({ cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.keyFile, 'utf8') });
  } catch (cause) {
    return err(
      problem(
        ErrorCode.TLS,
        `cannot read tls.cert_file / tls.key_file: ${(cause as Error).message}; ` +
          'check that the Secret is mounted at the configured paths',
      ),
    );
  }
}

function checkPair(files: TlsFiles, material: TlsMaterial): Result<TlsMaterial> {
  try {
    createSecureContext({ cert: material.cert, key: material.key });
    return ok(material);
  } catch (cause) {
    return err(
      problem(
        ErrorCode.TLS,
        `tls.cert_file ${files.certFile} and tls.key_file ${files.keyFile} do not form a usable pair: ` +
          `${(cause as Error).message}; both must be PEM and the key must belong to the certificate`,
      ),
    );
  }
}

function hashOf(material: TlsMaterial): string {
  return createHash('sha256').update(material.cert).update('\0').update(material.key).digest('hex');
}
