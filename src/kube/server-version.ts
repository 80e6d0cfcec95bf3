// The Kubernetes server version, as far as the operator needs it (sidecar mode, SPEC §9).

import type { ServerVersion } from '../podspec/types.ts';

/**
 * Parses `1.30`, `v1.30.2`, `1.30.2-gke.100` (a configured `kubernetes_version` or a `gitVersion`).
 * Undefined when the text is not such a version.
 */
export function parseVersionText(text: string): ServerVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/**
 * Reads the `/version` answer. Managed clusters report minors like `30+`, so digits are taken from the
 * start of `major`/`minor`; `gitVersion` is the fallback.
 */
export function parseVersionInfo(info: {
  major?: string;
  minor?: string;
  gitVersion?: string;
}): ServerVersion | undefined {
  const major = Number.parseInt(info.major ?? '', 10);
  const minor = Number.parseInt(info.minor ?? '', 10);
  if (Number.isInteger(major) && Number.isInteger(minor)) return { major, minor };
  return info.gitVersion === undefined ? undefined : parseVersionText(info.gitVersion);
}

/** The configured version wins (offline use, or to override discovery); `auto` uses what was discovered. */
export function resolveServerVersion(
  configured: string,
  discovered: ServerVersion | undefined,
): ServerVersion | undefined {
  if (configured === 'auto') return discovered;
  return parseVersionText(configured);
}

export function formatServerVersion(version: ServerVersion | undefined): string {
  return version === undefined ? 'unknown' : `${version.major}.${version.minor}`;
}
