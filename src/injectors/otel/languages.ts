// The OpenTelemetry languages as rows of one table (reference §1.3): where the agent is mounted, how the
// init container copies it there, and which variable loads it.

import type { OtelLanguage } from '../../config/v2/types.ts';
import { JAVA_MOUNT_PATH, NODEJS_MOUNT_PATH, PYTHON_MOUNT_PATH, otelVersionAnnotation } from './constants.ts';
import { JAVA_VALUE, NODEJS_VALUE, PYTHON_VALUE, type LanguageValue } from './language-values.ts';

export interface OtelLanguageRow {
  readonly language: OtelLanguage;
  /** Where the init container and every target container mount the shared volume. */
  readonly mountPath: string;
  /** The init container's command (no `args`), exactly as upstream. */
  readonly command: readonly string[];
  /** The env var that makes the runtime load the agent. */
  readonly variable: string;
  readonly value: LanguageValue;
  /** `admission.datakit/otel-<language>-lib.version`. */
  readonly versionAnnotation: string;
}

export const OTEL_LANGUAGE_ROWS: readonly OtelLanguageRow[] = [
  {
    language: 'java',
    mountPath: JAVA_MOUNT_PATH,
    command: ['cp', '/javaagent.jar', `${JAVA_MOUNT_PATH}/javaagent.jar`],
    variable: 'JAVA_TOOL_OPTIONS',
    value: JAVA_VALUE,
    versionAnnotation: otelVersionAnnotation('java'),
  },
  {
    language: 'python',
    mountPath: PYTHON_MOUNT_PATH,
    command: ['cp', '-r', '/autoinstrumentation/.', PYTHON_MOUNT_PATH],
    variable: 'PYTHONPATH',
    value: PYTHON_VALUE,
    versionAnnotation: otelVersionAnnotation('python'),
  },
  {
    language: 'nodejs',
    mountPath: NODEJS_MOUNT_PATH,
    command: ['cp', '-r', '/autoinstrumentation/.', NODEJS_MOUNT_PATH],
    variable: 'NODE_OPTIONS',
    value: NODEJS_VALUE,
    versionAnnotation: otelVersionAnnotation('nodejs'),
  },
];

export function otelLanguageRow(language: OtelLanguage): OtelLanguageRow {
  const row = OTEL_LANGUAGE_ROWS.find((candidate) => candidate.language === language);
  if (!row) throw new Error(`no OpenTelemetry language row for "${language}"`);
  return row;
}
