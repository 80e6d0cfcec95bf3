// Namespace patterns of `enabled_namespaces` (SPEC §4): `*` or a regular expression that must match the
// whole namespace name. Upstream matched unanchored, so `default` also hit `default-foo`; we anchor.

import { err, ok, type Result } from '../errors/result.ts';

export interface NamespacePattern {
  readonly source: string;
  matches(namespace: string): boolean;
}

/** The pattern that selects every namespace. It is not a valid regular expression, hence the special case. */
export const EVERY_NAMESPACE = '*';

export function compileNamespacePattern(text: string): Result<NamespacePattern, string> {
  if (text === '') return err('namespace pattern must not be empty; use "*" for every namespace');
  if (text === EVERY_NAMESPACE) return ok({ source: text, matches: () => true });
  // Compiling the pattern alone first reports errors in the user's own text, and guarantees its parentheses
  // balance, so wrapping it in `^(?:…)$` cannot change its meaning (`a)|(b` would otherwise escape the anchor).
  try {
    new RegExp(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return err(
      `namespace pattern ${JSON.stringify(text)} is not a valid regular expression (${reason}); ` +
        'use "*" for every namespace or a regular expression such as "team-.*"',
    );
  }
  const anchored = new RegExp(`^(?:${text})$`);
  return ok({ source: text, matches: (namespace: string) => anchored.test(namespace) });
}
