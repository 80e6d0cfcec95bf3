// The three DDTrace languages as rows of one table (ARCHITECTURE §4 rule 10): how each is selected,
// which image it uses, and which variable loads the agent (SPEC §6).

import type { DdtraceConfig, DdtraceLanguage } from '../../config/types.ts';
import type { LanguageAnnotation } from '../../mutation/targeting.ts';
import {
  ANNOTATION_JAVA_VERSION,
  ANNOTATION_JS_VERSION,
  ANNOTATION_NODEJS_VERSION,
  ANNOTATION_PYTHON_VERSION,
  MOUNT_PATH,
} from './constants.ts';

export interface LanguageVariable {
  readonly name: string;
  readonly value: string;
  /** How the agent value joins a value the container already has. */
  readonly join: 'append-with-space' | 'prepend-with-colon';
}

export interface DdtraceLanguageRow extends LanguageAnnotation<DdtraceLanguage> {
  readonly image: (images: DdtraceConfig['images']) => string;
  readonly variable: LanguageVariable;
}

export const DDTRACE_LANGUAGES: readonly DdtraceLanguageRow[] = [
  {
    language: 'java',
    annotationKeys: [ANNOTATION_JAVA_VERSION],
    image: (images) => images.java_agent_image,
    variable: {
      name: 'JAVA_TOOL_OPTIONS',
      value: `-javaagent:${MOUNT_PATH}/dd-java-agent.jar`,
      join: 'append-with-space',
    },
  },
  {
    language: 'python',
    annotationKeys: [ANNOTATION_PYTHON_VERSION],
    image: (images) => images.python_agent_image,
    variable: { name: 'PYTHONPATH', value: `${MOUNT_PATH}/`, join: 'prepend-with-colon' },
  },
  {
    language: 'nodejs',
    annotationKeys: [ANNOTATION_NODEJS_VERSION, ANNOTATION_JS_VERSION],
    image: (images) => images.js_agent_image,
    variable: {
      name: 'NODE_OPTIONS',
      value: `--require=${MOUNT_PATH}/node_modules/dd-trace/init`,
      join: 'append-with-space',
    },
  },
];

export function languageRow(language: DdtraceLanguage): DdtraceLanguageRow {
  const row = DDTRACE_LANGUAGES.find((candidate) => candidate.language === language);
  if (!row) throw new Error(`no DDTrace language row for "${language}"`);
  return row;
}
