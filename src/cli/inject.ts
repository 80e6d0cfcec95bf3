// `datakit-operator inject -f FILE|-`: the manifests with every pod template mutated exactly as the
// webhook would mutate the pods made from it (SPEC §13), for GitOps and review. Objects without a pod
// template pass through unchanged. Only manifests go to stdout; the injection's warnings go to stderr,
// so `inject -f app.yaml | kubectl apply -f -` works.

import type { Command, ExitCode } from './command.ts';
import type { OfflineCliIo } from './offline-io.ts';
import {
  OFFLINE_OPTIONS,
  prepareOfflineRun,
  runOfflineCommand,
  runWarnings,
  strictExitCode,
} from './offline-run.ts';
import { formatJson, formatYamlStream } from '../workloads/manifest-stream.ts';

const INJECT_FORMATS = ['yaml', 'json'] as const;

export const injectCommand: Command = {
  path: ['inject'],
  synopsis: '-f FILE|- [--config FILE] [-o yaml|json] [-n NAMESPACE] [--kubernetes-version X.Y] [--strict]',
  summary:
    'Print the manifests with every pod template injected as the webhook would (Pods, Deployments, ' +
    'DaemonSets, StatefulSets, ReplicaSets, Jobs, CronJobs, Lists); other objects pass through. ' +
    '-o json prints one object, or a v1 List of several, as kubectl does. Warnings, including mistakes ' +
    'in operator annotations, go to stderr; --strict: exit 1 on any warning.',
  options: OFFLINE_OPTIONS,
  positionals: [],
  async run({ values }, io) {
    const prepared = await prepareOfflineRun(values, io, injectCommand, INJECT_FORMATS);
    if (!prepared.ok) return prepared.code;
    const warnings = runWarnings(prepared.run.documents);
    for (const warning of warnings) io.stderr(`${warning}\n`);
    const documents = prepared.run.documents.map(({ injection }) => injection.document);
    io.stdout(prepared.run.output === 'json' ? formatJson(documents) : formatYamlStream(documents));
    return strictExitCode(values, [...prepared.run.configWarnings, ...warnings], io);
  },
};

/** `args` are the words after `inject`; the exit code follows SPEC §13 (0 ok, 1 bad input, 2 usage). */
export async function runInject(args: readonly string[], io: OfflineCliIo): Promise<ExitCode> {
  return runOfflineCommand(injectCommand, args, io);
}
