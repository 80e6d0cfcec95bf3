// Warnings never grow with what a user can put in a pod (SPEC §15): the list recorded in
// `admission.datakit/warnings` and sent in the response is cut to a byte budget and ends with a line
// saying how many were left out.

import { MAX_RESPONSE_WARNINGS, MAX_WARNINGS_ANNOTATION_BYTES } from './limits.ts';

const MORE_PREFIX = '… and ';
const ELLIPSIS = '…';

export function moreWarningsLine(count: number): string {
  return `${MORE_PREFIX}${count} more warning${count === 1 ? '' : 's'}`;
}

/** The line `capWarnings` ends a cut list with: left out when an earlier pass's list is merged again. */
export function isMoreWarningsLine(warning: string): boolean {
  return warning.startsWith(MORE_PREFIX) && / more warnings?$/.test(warning);
}

function jsonBytes(value: string): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** The longest prefix of `text` (plus "…") whose JSON string fits in `budget` bytes. */
function truncateToFit(text: string, budget: number): string {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (jsonBytes(text.slice(0, middle) + ELLIPSIS) <= budget) low = middle;
    else high = middle - 1;
  }
  return text.slice(0, low) + ELLIPSIS;
}

/**
 * At most `maxCount` warnings whose JSON array fits in `maxBytes`; when some are left out, the last
 * entry says how many. A first warning too long on its own is truncated rather than dropped.
 */
export function capWarnings(
  warnings: readonly string[],
  maxBytes = MAX_WARNINGS_ANNOTATION_BYTES,
  maxCount = MAX_RESPONSE_WARNINGS,
): string[] {
  if (warnings.length === 0) return []; // every admission without a warning: keep it free
  const reserve = jsonBytes(moreWarningsLine(warnings.length)) + 1;
  const kept: string[] = [];
  let used = 2; // the brackets of the JSON array
  for (const warning of warnings) {
    const cost = jsonBytes(warning) + (kept.length > 0 ? 1 : 0);
    const isLast = kept.length === warnings.length - 1;
    const budget = maxBytes - used - (isLast ? 0 : reserve);
    if (kept.length < maxCount && cost <= budget) {
      kept.push(warning);
      used += cost;
      continue;
    }
    if (kept.length === 0 && maxCount > 0 && budget > 8) kept.push(truncateToFit(warning, budget));
    break;
  }
  const left = warnings.length - kept.length;
  if (left > 0) kept.push(moreWarningsLine(left));
  return kept;
}
