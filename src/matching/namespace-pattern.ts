// Namespace patterns of `enabled_namespaces` (SPEC §4): `*` or a regular expression that must match the
// whole namespace name. Upstream matched unanchored, so `default` also hit `default-foo`; we anchor.

import { err, ok, type Result } from '../errors/result.ts';

export interface NamespacePattern {
  readonly source: string;
  /** What the pattern means that its author may not expect; the same shape as a label selector's. */
  readonly cautions: readonly string[];
  matches(namespace: string): boolean;
}

/** The pattern that selects every namespace. It is not a valid regular expression, hence the special case. */
export const EVERY_NAMESPACE = '*';

// Go's RE2 (which upstream compiled the patterns with) accepts leading flag groups such as `(?i)`; the
// JavaScript engine of Node 20 does not, so they become RegExp flags. `m` and `s` change nothing for a
// one-line namespace name but are accepted for the same reason.
const LEADING_FLAGS = /^\(\?(?<flags>[ims]+)\)/;

export function compileNamespacePattern(text: string): Result<NamespacePattern, string> {
  if (text === '') {
    return err(
      'namespace pattern must not be empty (the Go operator matched every namespace with it); ' +
        'use "*" for every namespace',
    );
  }
  if (text === EVERY_NAMESPACE) return ok({ source: text, cautions: [], matches: () => true });
  const flags = LEADING_FLAGS.exec(text)?.groups?.['flags'] ?? '';
  const body = flags === '' ? text : text.slice(flags.length + 3);
  const jsFlags = [...new Set(flags)].join('');
  // Compiling the pattern alone first reports errors in the user's own text, and guarantees its parentheses
  // balance, so wrapping it in `^(?:…)$` cannot change its meaning (`a)|(b` would otherwise escape the anchor).
  try {
    new RegExp(body, jsFlags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return err(
      `namespace pattern ${JSON.stringify(text)} is not a valid regular expression (${reason}); ` +
        'use "*" for every namespace or a regular expression such as "team-.*"',
    );
  }
  const anchored = new RegExp(`^(?:${body})$`, jsFlags);
  return ok({ source: text, cautions: [], matches: (namespace: string) => anchored.test(namespace) });
}
