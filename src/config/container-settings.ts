// The readers of the container settings every feature's section has, in v1 and in v2 alike: an image,
// an ordered `envs` object and `resources`. Apart from schema.ts so that the v2 schema, which schema.ts
// reads, can use them without an import cycle.

import type { ConfiguredEnv, ResourceRequirements } from '../podspec/types.ts';
import { isEnvVarName } from '../podspec/k8s-names.ts';
import { isValidImageReference } from '../podspec/image.ts';
import { isContainerResourceName, isQuantity, parseQuantity } from './quantity.ts';
import { Findings, childPath, describeValue } from './findings.ts';
import { readMatching, readNonEmptyString, readRecord } from './field-readers.ts';

export function readImage(findings: Findings, value: unknown, path: string): string {
  const image = readNonEmptyString(findings, value, path);
  if (image === undefined) return '';
  const described =
    'a valid image reference ([registry/]repository[:tag][@digest], repository in lower case)';
  return readMatching(findings, image, path, isValidImageReference, described) ?? '';
}

/**
 * An `envs` object as an ordered list, in document order (order is significant: SPEC §2, §5). An env the Go
 * operator skipped — a value that is not a string — is skipped here too, and so is a name the API server
 * would refuse in a container (upstream injected it, and every pod it touched was rejected).
 */
export function readEnvs(findings: Findings, value: unknown, path: string): ConfiguredEnv[] {
  const envs = readRecord(findings, value, path) ?? {};
  const result: ConfiguredEnv[] = [];
  for (const [name, raw] of Object.entries(envs)) {
    const envPath = childPath(path, name);
    if (!isEnvVarName(name)) {
      findings.ignore(
        envPath,
        `${describeValue(name)} is not a valid environment variable name (letters, digits, "_", "-" and ".", ` +
          'not starting with a digit), and a container with it is refused by the API server',
      );
      continue;
    }
    if (typeof raw !== 'string') {
      const asText =
        typeof raw === 'number' || typeof raw === 'boolean' ? ` write it as "${String(raw)}" to set it` : '';
      findings.ignore(
        envPath,
        `${describeValue(raw)} is not a string;${asText || ' env values are strings'}`,
      );
      continue;
    }
    result.push({ name, value: raw });
  }
  return result;
}

const RESOURCE_KINDS = ['requests', 'limits'] as const;

export function readResources(findings: Findings, value: unknown, path: string): ResourceRequirements {
  const resources = readRecord(findings, value, path, RESOURCE_KINDS) ?? {};
  const result: ResourceRequirements = {};
  for (const kind of RESOURCE_KINDS) {
    if (!Object.hasOwn(resources, kind)) continue;
    result[kind] = readResourceAmounts(findings, resources[kind], childPath(path, kind));
  }
  checkRequestsWithinLimits(findings, result, path);
  return result;
}

function readResourceAmounts(findings: Findings, value: unknown, path: string): Record<string, string> {
  const amounts = readRecord(findings, value, path) ?? {};
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(amounts)) {
    const amountPath = childPath(path, name);
    if (!isContainerResourceName(name)) {
      findings.error(
        amountPath,
        `${describeValue(name)} is not a container resource name (cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource such as example.com/gpu)`,
      );
      continue;
    }
    // The Go operator read an empty quantity as "not set": the container gets no such request or limit
    // (so a default from this operator is removed, and a LimitRange of the namespace applies, if any).
    if (raw === '') continue;
    // Kubernetes itself accepts a bare JSON number for a quantity, so existing configs may have one.
    const text = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? String(raw) : raw;
    const amount = readMatching(
      findings,
      text,
      amountPath,
      isQuantity,
      'a Kubernetes quantity (e.g. 100m, 64Mi, 1.5, 1e3)',
    );
    if (amount !== undefined) result[name] = amount;
  }
  return result;
}

/** The API server rejects a container whose request exceeds its limit, which would fail the whole pod. */
function checkRequestsWithinLimits(findings: Findings, resources: ResourceRequirements, path: string): void {
  for (const [name, request] of Object.entries(resources.requests ?? {})) {
    const limit = resources.limits?.[name];
    if (limit === undefined) continue;
    const requested = parseQuantity(request);
    const limited = parseQuantity(limit);
    if (requested !== undefined && limited !== undefined && requested > limited) {
      findings.error(
        childPath(path, 'requests', name),
        `${describeValue(request)} is more than the limit ${describeValue(limit)}; a request must not exceed its limit`,
      );
    }
  }
}
