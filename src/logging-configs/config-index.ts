// The ClusterLoggingConfigs the informer holds, compiled once per change and matched per request
// (issue 15 §2.3), with upstream's defects fixed:
// - an invalid selector makes its CR match nothing (upstream ignored it and matched more, L1), and the
//   problem is returned to the caller of `upsert` to be logged;
// - a `podLabelSelector` is evaluated against the labels sent, also when none are sent (upstream skipped
//   it, L2): a CR meant for labelled pods does not catch a pod whose labels are unknown;
// - when several match, the oldest wins (creationTimestamp, then name), not cache insertion order (L3);
// - `pod_labels` values may contain `=` (split on the first one, as logfwd does, L4).

import { parseLabelSelector, type LabelSelector } from '../matching/selectors.ts';
import type { StoredLoggingConfig } from './stored-config.ts';

export interface CompiledLoggingConfig {
  readonly name: string;
  readonly creationTimestamp: string;
  readonly podTargetLabels: readonly string[];
  readonly configs: string;
  readonly namespace: RegExp | undefined;
  readonly pod: RegExp | undefined;
  readonly labels: LabelSelector | undefined;
  /** Non-empty: the CR matches no pod until it is fixed. */
  readonly problems: readonly string[];
}

export interface PodIdentity {
  readonly namespace: string;
  readonly podName: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

export interface MatchResult {
  readonly match: CompiledLoggingConfig | undefined;
  /** The other CRs that matched too (they lose to `match`), in precedence order. */
  readonly shadowed: readonly string[];
}

export function compileLoggingConfig(stored: StoredLoggingConfig): CompiledLoggingConfig {
  const problems: string[] = [];
  const regex = (field: 'namespaceRegex' | 'podRegex'): RegExp | undefined => {
    const source = stored.selector[field];
    if (source === '') return undefined;
    try {
      return new RegExp(source);
    } catch (error) {
      problems.push(
        `spec.selector.${field} "${source}" is not a valid regular expression (${(error as Error).message}); ` +
          'write it without Go-only syntax such as (?i)',
      );
      return undefined;
    }
  };
  const namespace = regex('namespaceRegex');
  const pod = regex('podRegex');
  let labels: LabelSelector | undefined;
  if (stored.selector.podLabelSelector !== '') {
    const parsed = parseLabelSelector(stored.selector.podLabelSelector);
    if (parsed.ok) labels = parsed.value;
    else
      problems.push(
        `spec.selector.podLabelSelector "${stored.selector.podLabelSelector}" is not a label selector: ${parsed.error}`,
      );
  }
  return {
    name: stored.metadata.name,
    creationTimestamp: stored.metadata.creationTimestamp,
    podTargetLabels: stored.podTargetLabels,
    configs: stored.configs,
    namespace,
    pod,
    labels,
    problems,
  };
}

export function matchesPod(config: CompiledLoggingConfig, pod: PodIdentity): boolean {
  if (config.problems.length > 0) return false;
  if (config.namespace !== undefined && !config.namespace.test(pod.namespace)) return false;
  if (config.pod !== undefined && !config.pod.test(pod.podName)) return false;
  if (config.labels !== undefined && !config.labels.matches(pod.podLabels)) return false;
  return true;
}

/** Oldest first; the name breaks ties (and orders CRs without a creation time). */
export function comparePrecedence(a: CompiledLoggingConfig, b: CompiledLoggingConfig): number {
  if (a.creationTimestamp !== b.creationTimestamp) return a.creationTimestamp < b.creationTimestamp ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `k=v,k2=v2` as logfwd sends it: split on `,`, each part on its first `=`; parts without `=` are dropped. */
export function parsePodLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(',')) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;
    labels[part.slice(0, equals).trim()] = part.slice(equals + 1).trim();
  }
  return labels;
}

/** The CRs by name, and the same in precedence order (rebuilt on change: CRs are few, requests many). */
export class LoggingConfigIndex {
  private readonly byName = new Map<string, CompiledLoggingConfig>();
  private ordered: readonly CompiledLoggingConfig[] = [];

  /** Stores (or replaces) one CR; returns its problems, empty when it is valid. */
  upsert(stored: StoredLoggingConfig): readonly string[] {
    const compiled = compileLoggingConfig(stored);
    this.byName.set(compiled.name, compiled);
    this.reorder();
    return compiled.problems;
  }

  delete(name: string): void {
    if (this.byName.delete(name)) this.reorder();
  }

  size(): number {
    return this.byName.size;
  }

  find(pod: PodIdentity): MatchResult {
    let match: CompiledLoggingConfig | undefined;
    const shadowed: string[] = [];
    for (const config of this.ordered) {
      if (!matchesPod(config, pod)) continue;
      if (match === undefined) match = config;
      else shadowed.push(config.name);
    }
    return { match, shadowed };
  }

  private reorder(): void {
    this.ordered = [...this.byName.values()].sort(comparePrecedence);
  }
}
