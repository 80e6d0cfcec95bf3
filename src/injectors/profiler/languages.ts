// The three profiler languages as rows of one table (ARCHITECTURE §4 rule 10): which annotation selects
// each (checked in this order, SPEC §4.4) and which configured image it runs.

import type { ProfilerConfig, ProfilerLanguage } from '../../config/types.ts';
import type { LanguageAnnotation } from '../../mutation/targeting.ts';
import {
  ANNOTATION_GOLANG_PROFILER_VERSION,
  ANNOTATION_JAVA_PROFILER_VERSION,
  ANNOTATION_PYTHON_PROFILER_VERSION,
} from './constants.ts';

export interface ProfilerLanguageRow extends LanguageAnnotation<ProfilerLanguage> {
  readonly image: (images: ProfilerConfig['images']) => string;
}

export const PROFILER_LANGUAGE_ROWS: readonly ProfilerLanguageRow[] = [
  {
    language: 'java',
    annotationKeys: [ANNOTATION_JAVA_PROFILER_VERSION],
    image: (images) => images.java_profiler_image,
  },
  {
    language: 'python',
    annotationKeys: [ANNOTATION_PYTHON_PROFILER_VERSION],
    image: (images) => images.python_profiler_image,
  },
  {
    language: 'golang',
    annotationKeys: [ANNOTATION_GOLANG_PROFILER_VERSION],
    image: (images) => images.golang_profiler_image,
  },
];

export function profilerLanguageRow(language: ProfilerLanguage): ProfilerLanguageRow {
  const row = PROFILER_LANGUAGE_ROWS.find((candidate) => candidate.language === language);
  if (!row) throw new Error(`no profiler language row for "${language}"`);
  return row;
}
