// The DDTrace languages as rows of one table (ARCHITECTURE §4 rule 10): how each is selected, which image
// it uses, and which variables load the agent (SPEC §6). v1 has java, python and nodejs; v2 rules add php
// (reference §2.2, §2.3), which no v1 annotation selects.

import type { DdtraceConfig, DdtraceLanguage } from '../../config/types.ts';
import type { PhpLoaderFlavor, V2DdtraceLanguage } from '../../config/v2/types.ts';
import type { LanguageAnnotation } from '../../mutation/targeting.ts';
import {
  ANNOTATION_JAVA_VERSION,
  ANNOTATION_JS_VERSION,
  ANNOTATION_NODEJS_VERSION,
  ANNOTATION_PYTHON_VERSION,
  INIT_COMMAND,
  MOUNT_PATH,
  PHP_INI_SCAN_DIR_DEFAULT,
} from './constants.ts';

export interface LanguageVariable {
  readonly name: string;
  readonly value: string;
  /**
   * How the agent value joins a value the container already has; `keep-existing`: a non-empty value is
   * the user's choice and stays as it is.
   */
  readonly join: 'append-with-space' | 'prepend-with-colon' | 'append-with-colon' | 'keep-existing';
  /** The value when the variable is absent or empty, if not `value` itself. */
  readonly whenAbsent?: string;
}

/** A language as the planner needs it: the variables that load the agent, set in this order. */
export interface DdtraceAgentRow {
  readonly language: V2DdtraceLanguage;
  readonly variables: readonly LanguageVariable[];
  /** The init container's command (PHP's depends on the loader flavor). */
  readonly command: (flavor: PhpLoaderFlavor) => readonly string[];
}

/** A v1 language: an agent row that annotations select and whose image comes from the v1 `images`. */
export interface DdtraceLanguageRow extends DdtraceAgentRow, LanguageAnnotation<DdtraceLanguage> {
  readonly language: DdtraceLanguage;
  readonly image: (images: DdtraceConfig['images']) => string;
}

const copyLib = (): readonly string[] => INIT_COMMAND;

export const DDTRACE_LANGUAGES: readonly DdtraceLanguageRow[] = [
  {
    language: 'java',
    annotationKeys: [ANNOTATION_JAVA_VERSION],
    image: (images) => images.java_agent_image,
    command: copyLib,
    variables: [
      {
        name: 'JAVA_TOOL_OPTIONS',
        value: `-javaagent:${MOUNT_PATH}/dd-java-agent.jar`,
        join: 'append-with-space',
      },
    ],
  },
  {
    language: 'python',
    annotationKeys: [ANNOTATION_PYTHON_VERSION],
    image: (images) => images.python_agent_image,
    command: copyLib,
    variables: [{ name: 'PYTHONPATH', value: `${MOUNT_PATH}/`, join: 'prepend-with-colon' }],
  },
  {
    language: 'nodejs',
    annotationKeys: [ANNOTATION_NODEJS_VERSION, ANNOTATION_JS_VERSION],
    image: (images) => images.js_agent_image,
    command: copyLib,
    variables: [
      {
        name: 'NODE_OPTIONS',
        value: `--require=${MOUNT_PATH}/node_modules/dd-trace/init`,
        join: 'append-with-space',
      },
    ],
  },
];

/**
 * PHP (v2 rules only): the init image's script copies the loader for the C library flavor, and PHP finds
 * the loader's ini through PHP_INI_SCAN_DIR (reference §2.2, §2.3).
 */
export const PHP_ROW: DdtraceAgentRow = {
  language: 'php',
  command: (flavor) => [
    'sh',
    '-c',
    `/datadog-init/copy-lib.sh ${MOUNT_PATH} && cp ${MOUNT_PATH}/${flavor}/loader/dd_library_loader.ini ${MOUNT_PATH}/dd_library_loader.ini`,
  ],
  variables: [
    { name: 'DD_LOADER_PACKAGE_PATH', value: MOUNT_PATH, join: 'keep-existing' },
    {
      name: 'PHP_INI_SCAN_DIR',
      value: MOUNT_PATH,
      join: 'append-with-colon',
      whenAbsent: `${PHP_INI_SCAN_DIR_DEFAULT}:${MOUNT_PATH}`,
    },
  ],
};

export function languageRow(language: DdtraceLanguage): DdtraceLanguageRow {
  const row = DDTRACE_LANGUAGES.find((candidate) => candidate.language === language);
  if (!row) throw new Error(`no DDTrace language row for "${language}"`);
  return row;
}

/** The agent row of any v2 language. */
export function agentRow(language: V2DdtraceLanguage): DdtraceAgentRow {
  return language === 'php' ? PHP_ROW : languageRow(language);
}
