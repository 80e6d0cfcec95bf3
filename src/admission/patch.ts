// The JSON Patch (RFC 6902) from the received pod to the mutated one. The mutated pod is a copy-on-write
// draft (mutation/draft.ts): every object no edit touched IS the received object, so the diff stops at
// the first shared reference and visits only the path to each edit — the cost is the size of the change,
// not of the pod. Nothing is round-tripped through a typed model and nothing is cloned: operations refer
// to the mutated pod's values, which are serialised at once, so unknown and newer fields survive as sent.
//
// The walk visits keys in the order fast-json-patch's `compare` does (existing keys last to first, then
// new keys first to last), so the operations are the same as the generic diff's; the property tier
// checks that applying both gives the same pod.

import { sharedValueText } from '../podspec/shared-values.ts';

export type Operation =
  | { readonly op: 'add'; readonly path: string; readonly value: unknown }
  | { readonly op: 'replace'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string };

type JsonContainer = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is JsonContainer {
  return typeof value === 'object' && value !== null;
}

/**
 * Escaped tokens, kept: the operator's own annotation keys are on the path of every patch. Kept only up
 * to a bound, since the keys of a pod are the pod's to choose (SPEC §15).
 */
const escapedTokens = new Map<string, string>();
const MAX_ESCAPED_TOKENS = 64;

/** RFC 6901: `~` → `~0`, `/` → `~1` (annotation keys such as `admission.datakit/injected` need it). */
export function escapePointerToken(token: string): string {
  if (!token.includes('/') && !token.includes('~')) return token;
  const kept = escapedTokens.get(token);
  if (kept !== undefined) return kept;
  const escaped = token.replaceAll('~', '~0').replaceAll('/', '~1');
  if (escapedTokens.size < MAX_ESCAPED_TOKENS) escapedTokens.set(token, escaped);
  return escaped;
}

function diff(before: JsonContainer, after: JsonContainer, path: string, operations: Operation[]): void {
  if (before === after) return;
  if (Array.isArray(before) && Array.isArray(after)) diffArrays(before, after, path, operations);
  else diffObjects(before as Record<string, unknown>, after as Record<string, unknown>, path, operations);
}

function diffValue(oldValue: unknown, newValue: unknown, path: string, operations: Operation[]): void {
  if (isContainer(oldValue) && isContainer(newValue) && Array.isArray(oldValue) === Array.isArray(newValue)) {
    diff(oldValue, newValue, path, operations);
  } else if (oldValue !== newValue) {
    operations.push({ op: 'replace', path, value: newValue });
  }
}

function diffObjects(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  path: string,
  operations: Operation[],
): void {
  const beforeKeys = Object.keys(before);
  const afterKeys = Object.keys(after);
  let removed = false;
  for (let i = beforeKeys.length - 1; i >= 0; i -= 1) {
    const key = beforeKeys[i] as string;
    const oldValue = before[key];
    const newValue = after[key];
    // The draft shares every untouched value with the received pod: most keys end here, before a path
    // string is built for them.
    if (oldValue === newValue && oldValue !== undefined) continue;
    const keyPath = `${path}/${escapePointerToken(key)}`;
    const dropped = newValue === undefined && oldValue !== undefined;
    if (Object.hasOwn(after, key) && !dropped) {
      diffValue(oldValue, newValue, keyPath, operations);
    } else {
      operations.push({ op: 'remove', path: keyPath });
      removed = true;
    }
  }
  if (!removed && afterKeys.length === beforeKeys.length) return;
  for (const key of afterKeys) {
    if (!Object.hasOwn(before, key) && after[key] !== undefined) {
      operations.push({ op: 'add', path: `${path}/${escapePointerToken(key)}`, value: after[key] });
    }
  }
}

// Arrays by index, without listing their keys as strings: a container's env may hold 10,000 entries of
// which the edit appended three. Same operations, in the same order, as the object walk would give.
function diffArrays(before: unknown[], after: unknown[], path: string, operations: Operation[]): void {
  let removed = false;
  for (let i = before.length - 1; i >= 0; i -= 1) {
    if (i < after.length) {
      const oldValue = before[i];
      const newValue = after[i];
      if (oldValue !== newValue) diffValue(oldValue, newValue, `${path}/${i}`, operations);
    } else {
      operations.push({ op: 'remove', path: `${path}/${i}` });
      removed = true;
    }
  }
  if (!removed && after.length === before.length) return;
  for (let i = before.length; i < after.length; i += 1) {
    if (after[i] !== undefined) operations.push({ op: 'add', path: `${path}/${i}`, value: after[i] });
  }
}

export function buildPatch(original: object, mutated: object): Operation[] {
  const operations: Operation[] = [];
  diff(original as JsonContainer, mutated as JsonContainer, '', operations);
  return operations;
}

/** Lists longer than this are serialised in one call even when they hold shared values. */
const MAX_ELEMENTWISE_LENGTH = 64;

function hasSharedElement(values: readonly unknown[]): boolean {
  for (const value of values) {
    if (typeof value === 'object' && value !== null && sharedValueText(value) !== undefined) return true;
  }
  return false;
}

/** JSON.stringify's text of one value, with the kept text of shared values (podspec/shared-values.ts). */
function valueText(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const shared = sharedValueText(value);
  if (shared !== undefined) return shared;
  // A new env list is mostly config envs; any other value, and a long list (one call then costs less than
  // one per element), is serialised as a whole, as before.
  if (!Array.isArray(value) || value.length > MAX_ELEMENTWISE_LENGTH || !hasSharedElement(value)) {
    return JSON.stringify(value);
  }
  // Concatenated, not joined: the pieces stay a rope until the whole patch is encoded, once.
  let text = '[';
  for (let index = 0; index < value.length; index += 1) {
    if (index > 0) text += ',';
    // In an array, JSON.stringify writes null for what has no JSON text (undefined).
    text += valueText(value[index]) ?? 'null';
  }
  return `${text}]`;
}

/**
 * Gives the operations' JSON to `write` in pieces of about `pieceUnits` UTF-16 units or more (one operation
 * is never split); their concatenation is the same text as JSON.stringify(operations): the fields in
 * their order, and an operation whose value has no JSON text without a value field.
 */
export function writeOperationsText(
  operations: readonly Operation[],
  pieceUnits: number,
  write: (piece: string) => void,
): void {
  let text = '[';
  for (let index = 0; index < operations.length; index += 1) {
    const operation = operations[index] as Operation;
    if (index > 0) text += ',';
    text += `{"op":"${operation.op}","path":${JSON.stringify(operation.path)}`;
    const value = operation.op === 'remove' ? undefined : valueText(operation.value);
    text += value === undefined ? '}' : `,"value":${value}}`;
    if (text.length >= pieceUnits) {
      write(text);
      text = '';
    }
  }
  write(`${text}]`);
}

/** The operations' JSON in one string (writeOperationsText). */
export function operationsText(operations: readonly Operation[]): string {
  let text = '';
  writeOperationsText(operations, Number.POSITIVE_INFINITY, (piece) => {
    text += piece;
  });
  return text;
}
