// Reading a cluster Pod API request (issue 15 §3.2): which of the three routes, which view, which node.
// Unlike upstream, an unknown `view` is refused (it fell back to the full, sensitive view: C7), no `view`
// means the trimmed one, and `fieldSelector=spec.nodeName=<node>` narrows a list to one node (C3).

import { err, ok, type Result } from '../errors/result.ts';
import {
  CLUSTER_API_PREFIX,
  NODE_NAME_FIELD,
  QUERY_FIELD_SELECTOR,
  QUERY_VIEW,
  VIEW_EBPF_V1,
  VIEWS,
  type PodView,
} from './constants.ts';

export type PodRoute =
  | { readonly kind: 'all' }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string };

export interface PodQuery {
  readonly view: PodView;
  readonly nodeName: string | undefined;
}

/** Longest name a segment may have (a pod name is a DNS subdomain). */
const MAX_SEGMENT_LENGTH = 253;

/** The route for a path under CLUSTER_API_PREFIX; undefined for any other path (a 404). */
export function parsePodRoute(path: string): PodRoute | undefined {
  if (!path.startsWith(CLUSTER_API_PREFIX)) return undefined;
  const segments = path.slice(CLUSTER_API_PREFIX.length).split('/').map(decodeSegment);
  if (segments.some((segment) => segment === undefined)) return undefined;
  const parts = segments as string[];
  if (parts.length === 1 && parts[0] === 'pods') return { kind: 'all' };
  if (parts[0] !== 'namespaces' || parts[2] !== 'pods') return undefined;
  const namespace = parts[1] as string;
  if (parts.length === 3) return { kind: 'namespace', namespace };
  if (parts.length === 4) return { kind: 'pod', namespace, name: parts[3] as string };
  return undefined;
}

export function parsePodQuery(query: URLSearchParams): Result<PodQuery, string> {
  const view = query.get(QUERY_VIEW) ?? VIEW_EBPF_V1;
  if (!(VIEWS as readonly string[]).includes(view)) {
    return err(`view "${truncate(view)}" is not a view of this API; use one of ${VIEWS.join(', ')}`);
  }
  const selector = (query.get(QUERY_FIELD_SELECTOR) ?? '').trim();
  if (selector === '') return ok({ view: view as PodView, nodeName: undefined });
  const match = /^spec\.nodeName\s*==?\s*(.*)$/.exec(selector);
  const nodeName = match?.[1]?.trim();
  if (
    nodeName === undefined ||
    nodeName === '' ||
    nodeName.includes(',') ||
    nodeName.length > MAX_SEGMENT_LENGTH
  ) {
    return err(
      `fieldSelector "${truncate(selector)}" is not supported; the only one is ${NODE_NAME_FIELD}=<node name>`,
    );
  }
  return ok({ view: view as PodView, nodeName });
}

function decodeSegment(segment: string): string | undefined {
  if (segment === '' || segment.length > 3 * MAX_SEGMENT_LENGTH) return undefined;
  try {
    const decoded = decodeURIComponent(segment);
    return decoded.length > MAX_SEGMENT_LENGTH || decoded.includes('/') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
