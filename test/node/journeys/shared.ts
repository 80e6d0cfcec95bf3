// What every journey gets: the running node environment (it exists once the tier's `before` hook ran).

import type { NodeEnvironment } from '../support/environment.ts';
import { runCli, type CommandResult } from '../support/kubectl.ts';

export type Env = () => NodeEnvironment;

/** The manual's namespace and object names (deploy/datakit-operator.yaml). */
export const DATAKIT_NAMESPACE = 'datakit';
export const OPERATOR_SELECTOR = 'app.kubernetes.io/name=datakit-operator';
export const OPERATOR_REPLICAS = 2;
export const TLS_SECRET = 'datakit-operator-tls';
export const WEBHOOK_CONFIG = 'datakit-operator-mutation';
export const MANIFEST = 'deploy/datakit-operator.yaml';

/** The real helm against the node's cluster: `helm` answers as it exited, `helmOk` throws with its stderr. */
export function helmCommands(env: Env): {
  helm: (...args: string[]) => Promise<CommandResult>;
  helmOk: (...args: string[]) => Promise<string>;
} {
  const helm = (...args: string[]): Promise<CommandResult> => {
    const e = env();
    return runCli(e.binaries.helm, e.node.ready.kubeconfig, args);
  };
  const helmOk = async (...args: string[]): Promise<string> => {
    const result = await helm(...args);
    if (result.code !== 0)
      throw new Error(`helm ${args.join(' ')} failed (exit ${result.code}): ${result.stderr}`);
    return result.stdout;
  };
  return { helm, helmOk };
}
