// The stored form of one ClusterLoggingConfig: what the informer keeps of the object (name, creation time,
// resourceVersion, the selector strings, podTargetLabels) and `configs` already serialised the way
// upstream's Go type marshals it, because that string is the answer's `configs` field. Everything else
// (managedFields, annotations, unknown spec fields) is dropped at the door.

import type { FeedObject } from '../kube/object-feed.ts';

export interface StoredLoggingConfig extends FeedObject {
  readonly metadata: {
    readonly name: string;
    readonly resourceVersion?: string;
    /** RFC 3339 as the API server wrote it; '' when absent (then it sorts first, by name). */
    readonly creationTimestamp: string;
  };
  readonly selector: {
    readonly namespaceRegex: string;
    readonly podRegex: string;
    readonly podLabelSelector: string;
    /** Accepted and kept for DataKit's container input; the operator API has no container to match. */
    readonly containerRegex: string;
  };
  readonly podTargetLabels: readonly string[];
  /** A JSON array (never `null`: a CR without configs answers `[]`, issue 15 defect L9). */
  readonly configs: string;
}

/**
 * Upstream's `Config` struct, in its field order (Go marshals struct fields in declaration order and map
 * keys sorted). `type` and `source` are always written; the rest only when set (`omitempty`).
 * `from_beginning_threshold_size` (v1.7.3) is placed after `from_beginning` [inferred: that Go source
 * version is not available; logfwd parses by name, so the order does not change its behaviour].
 */
export const CONFIG_FIELDS: readonly {
  readonly key: string;
  readonly kind: 'string' | 'boolean' | 'integer' | 'tags';
  readonly always?: true;
}[] = [
  { key: 'type', kind: 'string', always: true },
  { key: 'source', kind: 'string', always: true },
  { key: 'disable', kind: 'boolean' },
  { key: 'path', kind: 'string' },
  { key: 'storage_index', kind: 'string' },
  { key: 'service', kind: 'string' },
  { key: 'character_encoding', kind: 'string' },
  { key: 'pipeline', kind: 'string' },
  { key: 'multiline_match', kind: 'string' },
  { key: 'remove_ansi_escape_codes', kind: 'boolean' },
  { key: 'from_beginning', kind: 'boolean' },
  { key: 'from_beginning_threshold_size', kind: 'integer' },
  { key: 'tags', kind: 'tags' },
];

/** The informer's `keep`: undefined for an object without a name (the API server never sends one). */
export function toStoredLoggingConfig(raw: unknown): StoredLoggingConfig | undefined {
  const object = record(raw);
  const metadata = record(object['metadata']);
  const name = text(metadata['name']);
  if (name === '') return undefined;
  const spec = record(object['spec']);
  const selector = record(spec['selector']);
  const resourceVersion = text(metadata['resourceVersion']);
  return {
    metadata: {
      name,
      ...(resourceVersion !== '' ? { resourceVersion } : {}),
      creationTimestamp: text(metadata['creationTimestamp']),
    },
    selector: {
      namespaceRegex: text(selector['namespaceRegex']),
      podRegex: text(selector['podRegex']),
      podLabelSelector: text(selector['podLabelSelector']),
      containerRegex: text(selector['containerRegex']),
    },
    podTargetLabels: Array.isArray(spec['podTargetLabels'])
      ? spec['podTargetLabels'].filter((label): label is string => typeof label === 'string' && label !== '')
      : [],
    configs: serializeConfigs(spec['configs']),
  };
}

/** `spec.configs` as the Go type marshals it; a missing, null or non-array value is `[]`. */
export function serializeConfigs(configs: unknown): string {
  if (!Array.isArray(configs)) return '[]';
  return JSON.stringify(configs.map((item) => serializeConfig(record(item))));
}

function serializeConfig(item: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CONFIG_FIELDS) {
    const value = item[field.key];
    switch (field.kind) {
      case 'string': {
        const written = text(value);
        if (written !== '' || field.always) out[field.key] = written;
        break;
      }
      case 'boolean':
        if (value === true) out[field.key] = true;
        break;
      case 'integer':
        if (typeof value === 'number' && Number.isSafeInteger(value) && value !== 0) out[field.key] = value;
        break;
      case 'tags': {
        const tags = Object.entries(record(value))
          .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        if (tags.length > 0) out[field.key] = Object.fromEntries(tags);
        break;
      }
    }
  }
  return out;
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
