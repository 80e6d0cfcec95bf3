// The Kubernetes version the offline commands assume (SPEC §9: "settable in config for offline use").
// Offline there is no API server to ask, so the sidecar mode uses `--kubernetes-version`, else the
// config's `kubernetes_version`; `auto` means unknown, which is what the webhook assumes without access.

import { err, ok, type Result } from '../errors/result.ts';
import type { ServerVersion } from '../podspec/types.ts';

export const KUBERNETES_VERSION_AUTO = 'auto';

// The forms `kubectl version` and the config accept: `1.30`, `v1.30.2`, `v1.30.2-eks-1234`.
const VERSION_TEXT = /^v?(?<major>[0-9]+)\.(?<minor>[0-9]+)(?:\.[0-9]+)?(?:[-+][0-9A-Za-z.+-]*)?$/;

export function parseKubernetesVersion(text: string): ServerVersion | undefined {
  const groups = VERSION_TEXT.exec(text.trim())?.groups;
  if (groups === undefined) return undefined;
  return { major: Number(groups['major']), minor: Number(groups['minor']) };
}

/** The flag wins over the config; an unparsable flag is an error that says what is accepted. */
export function resolveOfflineServerVersion(
  flag: string | undefined,
  configured: string,
): Result<ServerVersion | undefined, string> {
  const text = flag ?? configured;
  if (text === KUBERNETES_VERSION_AUTO) return ok(undefined);
  const version = parseKubernetesVersion(text);
  if (version !== undefined) return ok(version);
  const source = flag === undefined ? 'kubernetes_version in the config' : '--kubernetes-version';
  return err(`${source}: ${JSON.stringify(text)} is not "auto" or a Kubernetes version such as 1.30`);
}
