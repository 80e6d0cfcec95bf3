// Which certificate the main listener serves (SPEC §11). `auto` prefers mounted files (cert-manager or a
// user's Secret), then the self-managed Secret when the operator can reach the API server, then an
// ephemeral certificate for a process with neither; an explicit mode is obeyed or refused at start, never
// silently replaced by another. The self-managed mode's modules (and @kubernetes/client-node) are
// imported only when that mode is chosen.

import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { TlsConfig, TlsMode } from '../config/types.ts';
import { ErrorCode } from '../errors/codes.ts';
import { problem } from '../errors/problem.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { createEphemeralTls } from './ephemeral.ts';
import { watchTlsFiles } from './files.ts';
import { fixedTlsSource, type TlsSource } from './tls-material.ts';

export type ServedTlsMode = 'files' | 'self-managed' | 'ephemeral';

/** Pure: the mode to serve, given the configured one, whether both cert files exist, and cluster access. */
export function resolveTlsMode(
  mode: TlsMode,
  certFilesExist: boolean,
  hasKubernetesAccess: boolean,
): Result<ServedTlsMode> {
  switch (mode) {
    case 'files':
    case 'ephemeral':
      return ok(mode);
    case 'auto':
      return ok(certFilesExist ? 'files' : hasKubernetesAccess ? 'self-managed' : 'ephemeral');
    case 'self-managed':
      if (hasKubernetesAccess) return ok(mode);
      return err(
        problem(
          ErrorCode.TLS,
          'tls.mode "self-managed" needs Kubernetes access: run in a cluster or pass --kubeconfig FILE; ' +
            'otherwise use "files" (mount a Secret at tls.cert_file / tls.key_file), "ephemeral", or "auto"',
        ),
      );
  }
}

export interface OpenedTlsSource {
  readonly source: TlsSource;
  readonly mode: ServedTlsMode;
  /** The CA that clients must trust (ephemeral and self-managed modes). */
  readonly caPem?: string;
  /** Ephemeral mode: where the CA was written. */
  readonly caPath?: string;
}

export interface OpenTlsSourceOptions {
  readonly logger: Logger;
  /** Where the ephemeral CA is written (`--ca-out`). */
  readonly caOutPath: string;
  /** Names added to `localhost` and `127.0.0.1` in the ephemeral certificate. */
  readonly extraSans?: readonly string[];
  readonly filesPollMs?: number;
  readonly filesDebounceMs?: number;
  /** The API server and the operator's namespace (self-managed mode); undefined without cluster access. */
  readonly kubernetes?: { readonly config: KubeConfig; readonly namespace: string } | undefined;
  /** The clock for certificate validity and renewal (self-managed and ephemeral modes). */
  readonly now?: () => Date;
  /** How often the self-managed Secret is checked. */
  readonly secretPollMs?: number;
}

export async function openTlsSource(
  tls: TlsConfig,
  options: OpenTlsSourceOptions,
): Promise<Result<OpenedTlsSource>> {
  const files = { certFile: tls.cert_file, keyFile: tls.key_file };
  const mode = resolveTlsMode(
    tls.mode,
    existsSync(files.certFile) && existsSync(files.keyFile),
    options.kubernetes !== undefined,
  );
  if (!mode.ok) return mode;
  const now = options.now ?? (() => new Date());

  if (mode.value === 'files') {
    const source = watchTlsFiles(files, {
      logger: options.logger,
      ...(options.filesPollMs !== undefined ? { pollMs: options.filesPollMs } : {}),
      ...(options.filesDebounceMs !== undefined ? { debounceMs: options.filesDebounceMs } : {}),
    });
    if (!source.ok) return source;
    options.logger.info(
      {
        certFile: files.certFile,
        keyFile: files.keyFile,
        ...describeCertificate(source.value.current().cert),
      },
      `serving the certificate from ${files.certFile}` +
        (tls.mode === 'auto' ? ' (tls.mode auto: the cert files exist)' : ''),
    );
    return ok({ source: source.value, mode: 'files' });
  }

  if (mode.value === 'self-managed' && options.kubernetes !== undefined) {
    const { config, namespace } = options.kubernetes;
    const [{ buildSecretStore }, { buildWebhookConfigClient }, { openSelfManagedTls }] = await Promise.all([
      import('../kube/secrets.ts'),
      import('../kube/webhook-config.ts'),
      import('./self-managed.ts'),
    ]);
    const selfManaged = await openSelfManagedTls({
      secrets: buildSecretStore(config, namespace),
      webhookConfigs: buildWebhookConfigClient(config),
      names: {
        namespace,
        secretName: tls.secret_name,
        serviceName: tls.service_name,
        webhookConfigName: tls.webhook_config_name,
      },
      logger: options.logger,
      now,
      ...(options.secretPollMs !== undefined ? { pollMs: options.secretPollMs } : {}),
    });
    if (!selfManaged.ok) return selfManaged;
    return ok({ source: selfManaged.value, mode: 'self-managed', caPem: selfManaged.value.caPem() });
  }

  if (tls.mode === 'auto') {
    options.logger.warn(
      { certFile: files.certFile, keyFile: files.keyFile },
      'tls.mode is auto, the cert files do not exist and there is no Kubernetes access: ' +
        'using an EPHEMERAL self-signed certificate',
    );
  }
  const ephemeral = await createEphemeralTls({
    extraSans: options.extraSans ?? [],
    caPath: options.caOutPath,
    now: now(),
  });
  if (!ephemeral.ok) return ephemeral;
  options.logger.info(
    { caPath: ephemeral.value.caPath },
    `ephemeral certificate ready; clients must trust the CA written to ${ephemeral.value.caPath}`,
  );
  return ok({
    source: fixedTlsSource(ephemeral.value.material),
    mode: 'ephemeral',
    caPem: ephemeral.value.caPem,
    caPath: ephemeral.value.caPath,
  });
}

/** Subject and expiry of the serving certificate, for the start-up log; empty when it does not parse. */
function describeCertificate(pem: string): { subject?: string; notAfter?: string } {
  try {
    const certificate = new X509Certificate(pem);
    return { subject: certificate.subject.replaceAll('\n', ', '), notAfter: certificate.validTo };
  } catch {
    return {};
  }
}
