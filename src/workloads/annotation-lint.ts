// Mistakes in a manifest's operator annotations that the webhook cannot report, because to the webhook
// they look like "nothing asked for": a misspelt key, an unknown language, a switch that is not a
// boolean (it then counts as true), or annotations on a workload's own metadata instead of its pod
// template. The offline commands (`inject`, `explain`) report them. Pure.

import {
  ANNOTATION_JAVA_VERSION,
  ANNOTATION_JS_VERSION,
  ANNOTATION_NODEJS_VERSION,
  ANNOTATION_PHP_VERSION,
  ANNOTATION_PYTHON_VERSION,
} from '../injectors/ddtrace/constants.ts';
import { ANNOTATION_INSTANCES } from '../injectors/logfwd/constants.ts';
import {
  ANNOTATION_OTEL_ENABLED,
  ANNOTATION_OTEL_JAVA_VERSION,
  ANNOTATION_OTEL_NODEJS_VERSION,
  ANNOTATION_OTEL_PYTHON_VERSION,
} from '../injectors/otel/constants.ts';
import { OTEL_LANGUAGE_ROWS } from '../injectors/otel/languages.ts';
import {
  ANNOTATION_GOLANG_PROFILER_VERSION,
  ANNOTATION_JAVA_PROFILER_VERSION,
  ANNOTATION_PYTHON_PROFILER_VERSION,
} from '../injectors/profiler/constants.ts';
import {
  ANNOTATION_CONTAINER_NAMES,
  ANNOTATION_ENABLED,
  ANNOTATION_INJECTED,
  ANNOTATION_WARNINGS,
  featureEnabledAnnotation,
} from '../mutation/operator-names.ts';
import { parseGoBool } from '../podspec/annotations.ts';
import { nearestWord } from '../text/edit-distance.ts';

export const OPERATOR_ANNOTATION_PREFIX = 'admission.datakit/';

const SWITCHES: readonly string[] = [
  ANNOTATION_ENABLED,
  featureEnabledAnnotation('ddtrace'),
  featureEnabledAnnotation('logfwd'),
  featureEnabledAnnotation('profiler'),
  featureEnabledAnnotation('flameshot'),
  ANNOTATION_OTEL_ENABLED,
];

const KNOWN_KEYS: readonly string[] = [
  ...SWITCHES,
  ANNOTATION_INJECTED,
  ANNOTATION_WARNINGS,
  ANNOTATION_CONTAINER_NAMES,
  ANNOTATION_JAVA_VERSION,
  ANNOTATION_PYTHON_VERSION,
  ANNOTATION_NODEJS_VERSION,
  ANNOTATION_JS_VERSION,
  ANNOTATION_PHP_VERSION,
  ANNOTATION_OTEL_JAVA_VERSION,
  ANNOTATION_OTEL_PYTHON_VERSION,
  ANNOTATION_OTEL_NODEJS_VERSION,
  ANNOTATION_INSTANCES,
  ANNOTATION_JAVA_PROFILER_VERSION,
  ANNOTATION_PYTHON_PROFILER_VERSION,
  ANNOTATION_GOLANG_PROFILER_VERSION,
];
const KNOWN = new Set(KNOWN_KEYS);

/** `admission.datakit/<language>-lib.version` for a language the operator has no agent for. */
const LIBRARY_VERSION_KEY = /^admission\.datakit\/([^/]+)-lib\.version$/;
const LIBRARY_LANGUAGES = ['java', 'python', 'nodejs', 'js', 'php'];
/** `admission.datakit/otel-<language>-lib.version` names an OpenTelemetry agent. */
const OTEL_PREFIX = 'otel-';
const OTEL_LIBRARY_LANGUAGES: readonly string[] = OTEL_LANGUAGE_ROWS.map((row) => row.language);

/** A suggestion only for a near miss; a key longer than this is not compared (bounded cost). */
const MAX_SUGGESTION_DISTANCE = 3;
const MAX_COMPARED_KEY_LENGTH = 128;

export interface AnnotationSets {
  /** The pod template's (or the Pod's) annotations. */
  readonly pod: Readonly<Record<string, unknown>> | undefined;
  /** The workload's own `metadata.annotations`; undefined for a Pod. */
  readonly workload?: Readonly<Record<string, unknown>> | undefined;
  /** `Deployment`, `CronJob`, …: named in the message about the workload's metadata. */
  readonly workloadKind?: string;
}

function suggestion(key: string): string | undefined {
  return nearestWord(key, KNOWN_KEYS, MAX_SUGGESTION_DISTANCE, MAX_COMPARED_KEY_LENGTH);
}

function unknownKeyWarning(key: string): string {
  const named = LIBRARY_VERSION_KEY.exec(key)?.[1];
  const otel = named?.startsWith(OTEL_PREFIX) === true;
  const language = otel ? named?.slice(OTEL_PREFIX.length) : named;
  const languages = otel ? OTEL_LIBRARY_LANGUAGES : LIBRARY_LANGUAGES;
  if (language !== undefined && !languages.includes(language)) {
    return (
      `annotation ${key}: the operator has no ${otel ? 'OpenTelemetry ' : ''}agent for "${language}" ` +
      `(languages: ${languages.join(', ')}); nothing is injected for it`
    );
  }
  const near = suggestion(key);
  return near === undefined
    ? `annotation ${key} is not one the operator reads; it is ignored`
    : `annotation ${key} is not one the operator reads; did you mean ${near}?`;
}

function podWarnings(annotations: Readonly<Record<string, unknown>>): string[] {
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(OPERATOR_ANNOTATION_PREFIX)) continue;
    if (!KNOWN.has(key)) {
      warnings.push(unknownKeyWarning(key));
      continue;
    }
    if (SWITCHES.includes(key) && typeof value === 'string' && parseGoBool(value) === undefined) {
      warnings.push(
        `annotation ${key}: ${JSON.stringify(value)} is not a boolean (true/false, 1/0, t/f); ` +
          'it counts as true',
      );
    }
  }
  return warnings;
}

function workloadWarnings(sets: AnnotationSets): string[] {
  if (sets.workload === undefined) return [];
  const misplaced = Object.keys(sets.workload).filter((key) => key.startsWith(OPERATOR_ANNOTATION_PREFIX));
  if (misplaced.length === 0) return [];
  const onPod = new Set(Object.keys(sets.pod ?? {}));
  return misplaced
    .filter((key) => !onPod.has(key))
    .map(
      (key) =>
        `annotation ${key} is on the ${sets.workloadKind ?? 'workload'}'s own metadata, which the ` +
        'operator never sees: move it to the pod template (spec.template.metadata.annotations)',
    );
}

/** Every mistake found, in annotation order: pod template first, then the workload's metadata. */
export function lintOperatorAnnotations(sets: AnnotationSets): string[] {
  return [...podWarnings(sets.pod ?? {}), ...workloadWarnings(sets)];
}
