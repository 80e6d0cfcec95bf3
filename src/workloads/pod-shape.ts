// The shape a pod template must have before the mutation core may touch it. The webhook receives pods
// the API server has already validated; the offline commands read whatever a file holds, so a wrong
// type is reported here, naming the field, instead of failing somewhere inside an injector. Only what
// the core reads is checked; `null` counts as absent, as it does for the API server.

import { childPath, describeValue } from '../config/findings.ts';
import type { Problem } from '../errors/problem.ts';
import { manifestProblem } from './manifest-problem.ts';

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
const STRING_MAPS = ['labels', 'annotations'] as const;

type Check = (value: unknown, path: string) => Problem | undefined;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function problem(path: string, reason: string): Problem {
  return manifestProblem(path, reason);
}

function notAn(what: string, value: unknown, path: string): Problem {
  return problem(path, `must be ${what}, not ${describeValue(value)}`);
}

function checkStringMap(value: unknown, path: string): Problem | undefined {
  if (isAbsent(value)) return undefined;
  if (!isObject(value)) return notAn('a map of strings', value, path);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') continue;
    const quoted = JSON.stringify(String(item));
    return problem(childPath(path, key), `${describeValue(item)} is not a string; quote it: ${quoted}`);
  }
  return undefined;
}

/** A list of objects, each with the named string fields. */
function listOf(requiredStrings: readonly string[], checkItem?: Check): Check {
  return (value, path) => {
    if (isAbsent(value)) return undefined;
    if (!Array.isArray(value)) return notAn('a list', value, path);
    for (const [index, item] of value.entries()) {
      const itemPath = childPath(path, index);
      if (!isObject(item)) return notAn('an object', item, itemPath);
      for (const field of requiredStrings) {
        if (typeof item[field] !== 'string') {
          const fieldPath = childPath(itemPath, field);
          return isAbsent(item[field])
            ? problem(fieldPath, 'is missing')
            : notAn('a string', item[field], fieldPath);
        }
      }
      const found = checkItem?.(item, itemPath);
      if (found) return found;
    }
    return undefined;
  };
}

const checkEnv = listOf(['name']);
const checkVolumeMounts = listOf(['name', 'mountPath']);
const checkVolumes = listOf(['name']);

const checkContainers = listOf(['name'], (container, path) => {
  const fields = container as Record<string, unknown>;
  return (
    checkEnv(fields['env'], childPath(path, 'env')) ??
    checkVolumeMounts(fields['volumeMounts'], childPath(path, 'volumeMounts'))
  );
});

export function checkMetadataShape(metadata: unknown, path: string): Problem | undefined {
  if (isAbsent(metadata)) return undefined;
  if (!isObject(metadata)) return notAn('an object', metadata, path);
  for (const field of STRING_MAPS) {
    const found = checkStringMap(metadata[field], childPath(path, field));
    if (found) return found;
  }
  return undefined;
}

export function checkPodSpecShape(spec: unknown, path: string): Problem | undefined {
  if (isAbsent(spec)) return problem(path, 'is missing: a pod needs a spec with its containers');
  if (!isObject(spec)) return notAn('an object', spec, path);
  if (isAbsent(spec['containers'])) {
    return problem(childPath(path, 'containers'), 'is missing: a pod needs at least one container');
  }
  for (const list of CONTAINER_LISTS) {
    const found = checkContainers(spec[list], childPath(path, list));
    if (found) return found;
  }
  return checkVolumes(spec['volumes'], childPath(path, 'volumes'));
}
