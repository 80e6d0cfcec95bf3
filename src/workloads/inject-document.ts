// One manifest document through the webhook's core (SPEC §13): find its pod templates (a Pod, a
// workload's template, every item of a List), run the webhook's decide function on each exactly as the webhook
// would run it on the pods they become, and write the result back. Pure: the caller supplies the config, the
// server version and the namespace used when a document names none.

import { childPath } from '../config/findings.ts';
import type { OperatorConfig } from '../config/types.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { decidePod } from '../admission/decide.ts';
import type { Feature } from '../mutation/plan.ts';
import type { Outcome } from '../mutation/types.ts';
import type { JsonObject, Pod, ServerVersion } from '../podspec/types.ts';
import { lintOperatorAnnotations } from './annotation-lint.ts';
import { checkMetadataShape, checkPodSpecShape, isObject } from './pod-shape.ts';
import { buildPodView, replaceContents, writePodIntoTemplate } from './pod-template.ts';
import { ErrorCode } from '../errors/codes.ts';
import { problem, type Problem } from '../errors/problem.ts';
import { manifestProblem } from './manifest-problem.ts';
import type { DocumentInjection, ObjectDecision, ObjectIdentity } from './types.ts';
import { LIST_ITEMS_FIELD, itemKindOfList, resolveKind } from './workload-kinds.ts';

export interface InjectOptions {
  readonly config: OperatorConfig;
  readonly serverVersion: ServerVersion | undefined;
  /** The namespace of an object whose metadata names none (`--namespace`, else `default`). */
  readonly defaultNamespace: string;
  readonly features: readonly Feature[];
}

/** What a typed List (`DeploymentList`) lends to items that omit their own kind and apiVersion. */
interface Inherited {
  readonly kind: string | undefined;
  readonly apiVersion: string | undefined;
}

type Visit = Result<undefined, Problem>;

const DONE: Visit = ok(undefined);

export function injectDocument(
  document: unknown,
  options: InjectOptions,
): Result<DocumentInjection, Problem> {
  if (!isObject(document)) {
    return err(manifestProblem('', 'is not an object: every document must be a Kubernetes object'));
  }
  const copy = structuredClone(document) as JsonObject;
  const decisions: ObjectDecision[] = [];
  const visited = visitObject(copy, '', { kind: undefined, apiVersion: undefined }, options, decisions);
  return visited.ok ? ok({ document: copy, decisions }) : visited;
}

function visitObject(
  object: Record<string, unknown>,
  path: string,
  inherited: Inherited,
  options: InjectOptions,
  decisions: ObjectDecision[],
): Visit {
  const kind = readKind(object, path, inherited);
  if (!kind.ok) return kind;
  const apiVersion = typeof object['apiVersion'] === 'string' ? object['apiVersion'] : inherited.apiVersion;
  const resolution = resolveKind(kind.value, apiVersion, Array.isArray(object[LIST_ITEMS_FIELD]));
  if (resolution.type === 'list') {
    return visitListItems(object, kind.value, apiVersion, path, options, decisions);
  }
  if (resolution.type === 'other') {
    const identity = identityOf(object, kind.value, path, metadataString(object, 'namespace'));
    decisions.push({ type: 'not-a-workload', identity, reason: resolution.reason });
    return DONE;
  }

  const templatePath = resolution.type === 'pod' ? [] : resolution.templatePath;
  const template = findTemplate(object, templatePath, path, kind.value);
  if (!template.ok) return template;
  const namespace = metadataString(object, 'namespace') || options.defaultNamespace;
  // Before the core runs: it writes its own status annotations into the template.
  const lint = lintOperatorAnnotations({
    pod: annotationsOf(template.value),
    workload: resolution.type === 'pod' ? undefined : annotationsOf(object),
    workloadKind: kind.value,
  });
  const run = injectTemplate(
    template.value,
    childPath(path, ...templatePath),
    resolution.type === 'pod',
    namespace,
    options,
  );
  if (!run.ok) return run;
  decisions.push({
    type: 'template',
    identity: identityOf(object, kind.value, path, namespace),
    templatePath: templatePath.join('.'),
    ...run.value,
    lint,
  });
  return DONE;
}

function readKind(
  object: Record<string, unknown>,
  path: string,
  inherited: Inherited,
): Result<string, Problem> {
  const kind = object['kind'];
  if (typeof kind === 'string' && kind !== '') return ok(kind);
  if ((kind === undefined || kind === null) && inherited.kind !== undefined) return ok(inherited.kind);
  const kindPath = childPath(path, 'kind');
  return kind === undefined || kind === null || kind === ''
    ? err(manifestProblem(kindPath, 'is missing: every object needs a kind, e.g. Deployment'))
    : err(manifestProblem(kindPath, `must be a string such as Deployment, not ${JSON.stringify(kind)}`));
}

function visitListItems(
  list: Record<string, unknown>,
  kind: string,
  apiVersion: string | undefined,
  path: string,
  options: InjectOptions,
  decisions: ObjectDecision[],
): Visit {
  const items = list[LIST_ITEMS_FIELD];
  const itemsPath = childPath(path, LIST_ITEMS_FIELD);
  if (items === undefined || items === null) return DONE;
  if (!Array.isArray(items)) {
    return err(manifestProblem(itemsPath, `must be a list of objects in a ${kind}`));
  }
  const itemKind = itemKindOfList(kind);
  const inherited = { kind: itemKind, apiVersion: itemKind === undefined ? undefined : apiVersion };
  for (const [index, item] of items.entries()) {
    const itemPath = childPath(itemsPath, index);
    if (!isObject(item)) {
      return err(manifestProblem(itemPath, 'is not an object: every item must be a Kubernetes object'));
    }
    const visited = visitObject(item, itemPath, inherited, options, decisions);
    if (!visited.ok) return visited;
  }
  return DONE;
}

function findTemplate(
  object: Record<string, unknown>,
  templatePath: readonly string[],
  path: string,
  kind: string,
): Result<Record<string, unknown>, Problem> {
  let current: Record<string, unknown> = object;
  let currentPath = path;
  for (const key of templatePath) {
    const next = current[key];
    currentPath = childPath(currentPath, key);
    if (next === undefined || next === null) {
      return err(
        manifestProblem(
          currentPath,
          `is missing: a ${kind} needs a pod template at ${templatePath.join('.')}`,
        ),
      );
    }
    if (!isObject(next)) return err(manifestProblem(currentPath, 'must be an object'));
    current = next;
  }
  return ok(current);
}

interface TemplateRun {
  readonly outcomes: readonly Outcome[];
  readonly warnings: readonly string[];
  readonly changed: boolean;
}

/** Runs the core on one template (for a Pod: on the object itself) and writes the result back in place. */
function injectTemplate(
  template: Record<string, unknown>,
  path: string,
  isPod: boolean,
  namespace: string,
  options: InjectOptions,
): Result<TemplateRun, Problem> {
  const shapeProblem =
    checkMetadataShape(template['metadata'], childPath(path, 'metadata')) ??
    checkPodSpecShape(template['spec'], childPath(path, 'spec'));
  if (shapeProblem) return err(shapeProblem);

  const view: Pod = isPod ? (template as Pod) : buildPodView(template);
  const decided = decidePod(view, namespace, options);
  if (decided.kind === 'failed') {
    // The webhook would admit this pod unchanged (fail open); offline, the user can fix the manifest.
    const reason = `the injection failed: ${decided.error.message}`;
    return err(problem(ErrorCode.MUTATION_FAILED, path === '' ? reason : `${path}: ${reason}`, path));
  }
  const result = decided.mutation;
  if (result.changed) {
    if (isPod) replaceContents(template, result.pod);
    else writePodIntoTemplate(template, result.pod);
  }
  return ok({ outcomes: result.outcomes, warnings: result.warnings, changed: result.changed });
}

function identityOf(
  object: Record<string, unknown>,
  kind: string,
  itemPath: string,
  namespace: string,
): ObjectIdentity {
  const name = metadataString(object, 'name') || metadataString(object, 'generateName');
  return { kind, namespace, name, itemPath };
}

function metadataString(object: Record<string, unknown>, field: string): string {
  const metadata = object['metadata'];
  if (!isObject(metadata)) return '';
  const value = metadata[field];
  return typeof value === 'string' ? value : '';
}

/** `metadata.annotations` when it is an object (its shape was checked before the core ran). */
function annotationsOf(object: Record<string, unknown>): Record<string, unknown> | undefined {
  const metadata = object['metadata'];
  if (!isObject(metadata)) return undefined;
  const annotations = metadata['annotations'];
  return isObject(annotations) ? annotations : undefined;
}
