// How `explain` shows the core's decisions: one block per pod template with each feature's status and
// why (the answer to "why was my pod not injected?"), or the same as data for `-o json`. Pure.

import type { Outcome } from '../mutation/types.ts';
import type { ObjectDecision } from '../workloads/types.ts';
import { describeObject, type InjectedDocument } from './offline-run.ts';

const INDENT = '  ';
const FEATURE_WIDTH = 10;
const STATUS_WIDTH = 10;
const CONTINUATION = ' '.repeat(INDENT.length + FEATURE_WIDTH + STATUS_WIDTH);

const PASSED_THROUGH = 'inject passes it through unchanged';

function header(decision: ObjectDecision): string {
  const where =
    decision.type === 'not-a-workload' ? [] : [decision.templatePath === '' ? 'pod' : 'pod template'];
  if (decision.identity.itemPath !== '') where.push(decision.identity.itemPath);
  const suffix = where.length === 0 ? '' : ` (${where.join(', ')})`;
  return `${describeObject(decision.identity)}${suffix}`;
}

/** The first line says what happened, the following lines why, then anything the user should hear. */
function outcomeLines(outcome: Outcome): string[] {
  const lines =
    outcome.status === 'injected'
      ? [String(outcome.summary), outcome.detail]
      : [`${outcome.reason}: ${outcome.detail}`];
  const warnings = outcome.status === 'injected' ? outcome.warnings : [outcome.warning ?? outcome.detail];
  for (const warning of warnings) {
    if (warning !== outcome.detail) lines.push(`warning: ${warning}`);
  }
  const [first = '', ...rest] = lines;
  const lead = `${INDENT}${outcome.feature.padEnd(FEATURE_WIDTH)}${outcome.status.padEnd(STATUS_WIDTH)}`;
  return [`${lead}${first}`, ...rest.map((line) => `${CONTINUATION}${line}`)];
}

function decisionBlock(decision: ObjectDecision): string {
  const body =
    decision.type === 'template'
      ? [
          ...decision.lint.map((warning) => `${INDENT}warning: ${warning}`),
          ...decision.outcomes.flatMap(outcomeLines),
        ]
      : [`${INDENT}not a workload: ${decision.reason}; ${PASSED_THROUGH}`];
  return [header(decision), ...body].join('\n');
}

export function formatExplainText(documents: readonly InjectedDocument[]): string {
  const blocks = documents.flatMap(({ injection }) => injection.decisions.map(decisionBlock));
  return `${blocks.join('\n\n')}\n`;
}

function outcomeData(outcome: Outcome): Record<string, unknown> {
  const { feature, status, reason, detail } = outcome;
  return outcome.status === 'injected'
    ? { feature, status, reason, summary: outcome.summary, detail, warnings: outcome.warnings }
    : { feature, status, reason, detail, warnings: outcome.warning === undefined ? [] : [outcome.warning] };
}

function decisionData(index: number, decision: ObjectDecision): Record<string, unknown> {
  const { kind, namespace, name, itemPath } = decision.identity;
  const object = { document: index, item: itemPath, kind, namespace, name };
  return decision.type === 'template'
    ? {
        ...object,
        workload: true,
        template: decision.templatePath,
        changed: decision.changed,
        features: decision.outcomes.map(outcomeData),
        // Only when there is one, so that the output of a clean manifest stays as it was.
        ...(decision.lint.length > 0 ? { annotationWarnings: decision.lint } : {}),
      }
    : { ...object, workload: false, reason: decision.reason };
}

export function formatExplainJson(documents: readonly InjectedDocument[]): string {
  const data = documents.flatMap(({ index, injection }) =>
    injection.decisions.map((decision) => decisionData(index, decision)),
  );
  return `${JSON.stringify(data, null, 2)}\n`;
}
