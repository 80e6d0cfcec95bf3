// The real kubectl (scripts/ensure-kubectl.sh) against the node's cluster, as the manual's reader runs it.

import { execFile } from 'node:child_process';

const KUBECTL_TIMEOUT_MS = 120_000;

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a CLI (kubectl, helm) with KUBECONFIG set; never rejects, the caller asserts on the result. */
export function runCli(binary: string, kubeconfig: string, args: readonly string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      binary,
      [...args],
      {
        env: { ...process.env, KUBECONFIG: kubeconfig },
        timeout: KUBECTL_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export class Kubectl {
  constructor(
    readonly binary: string,
    readonly kubeconfig: string,
  ) {}

  run(...args: string[]): Promise<CommandResult> {
    return runCli(this.binary, this.kubeconfig, args);
  }

  /** Runs and fails with kubectl's own message unless it succeeds; returns stdout. */
  async ok(...args: string[]): Promise<string> {
    const result = await this.run(...args);
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} failed (exit ${result.code}): ${result.stderr}`);
    return result.stdout;
  }

  async json<T>(...args: string[]): Promise<T> {
    return JSON.parse(await this.ok(...args, '-o', 'json')) as T;
  }
}
