// The only module that builds API clients (ARCHITECTURE §1: kube/ is the one edge to the API server).

import type { ServerVersion } from '../podspec/types.ts';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { KubernetesAccess } from './kubernetes-access.ts';
import { bounded } from './api-status.ts';
import { parseVersionInfo } from './server-version.ts';

/** A KubeConfig for the access the operator has; undefined for the embedded default (no cluster). */
export function loadKubeConfig(access: KubernetesAccess): KubeConfig | undefined {
  if (access.kind === 'none') return undefined;
  const config = new KubeConfig();
  if (access.kind === 'in-cluster') config.loadFromCluster();
  else config.loadFromFile(access.file);
  return config;
}

/** Asks the API server's `/version` (bounded). Throws when the server cannot be reached or answers nonsense. */
export async function discoverServerVersion(config: KubeConfig): Promise<ServerVersion> {
  const info = await bounded(config.makeApiClient(VersionApi).getCode(), 'read /version');
  const version = parseVersionInfo(info);
  if (!version)
    throw new Error(`the API server's /version answer has no usable version: ${JSON.stringify(info)}`);
  return version;
}
