// `datakit-operator explain -f FILE|-`: for every pod template in the manifests, what the webhook would
// inject and, for every feature it would not, why (SPEC §13). Runs the same core as `inject` and the
// webhook, so its answer cannot drift from what they do.

import { ExitCode, type Command } from './command.ts';
import { formatExplainJson, formatExplainText } from './explain-format.ts';
import type { OfflineCliIo } from './offline-io.ts';
import {
  OFFLINE_OPTIONS,
  prepareOfflineRun,
  runOfflineCommand,
  runWarnings,
  strictExitCode,
} from './offline-run.ts';

const EXPLAIN_FORMATS = ['text', 'json'] as const;

export const explainCommand: Command = {
  path: ['explain'],
  synopsis: '-f FILE|- [--config FILE] [-o text|json] [-n NAMESPACE] [--kubernetes-version X.Y] [--strict]',
  summary:
    'For every pod template in the manifests, print what would be injected and, for what would not, why, ' +
    'and the mistakes in its operator annotations. Takes the same flags as inject; --strict: exit 1 on any warning.',
  options: OFFLINE_OPTIONS,
  positionals: [],
  async run({ values }, io) {
    const prepared = await prepareOfflineRun(values, io, explainCommand, EXPLAIN_FORMATS);
    if (!prepared.ok) return prepared.code;
    const { output, documents, configWarnings } = prepared.run;
    io.stdout(output === 'json' ? formatExplainJson(documents) : formatExplainText(documents));
    return strictExitCode(values, [...configWarnings, ...runWarnings(documents)], io);
  },
};

/** `args` are the words after `explain`; the exit code follows SPEC §13 (0 ok, 1 bad input, 2 usage). */
export async function runExplain(args: readonly string[], io: OfflineCliIo): Promise<ExitCode> {
  return runOfflineCommand(explainCommand, args, io);
}
