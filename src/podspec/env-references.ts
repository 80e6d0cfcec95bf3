// `$(NAME)` references in an env value, as the kubelet expands them (SPEC §5).

/**
 * The names a value refers to with `$(NAME)`, as Kubernetes expands them: `$$` is an escaped `$`, so
 * `$$(NAME)` is literal text, and an unclosed `$(` is literal too.
 */
export function envReferences(value: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < value.length) {
    if (value.charAt(i) !== '$' || i + 1 >= value.length) {
      i += 1;
      continue;
    }
    const next = value.charAt(i + 1);
    if (next === '$') {
      i += 2;
    } else if (next === '(') {
      const close = value.indexOf(')', i + 2);
      if (close === -1) return names;
      const name = value.slice(i + 2, close);
      if (name !== '') names.push(name);
      i = close + 1;
    } else {
      i += 1;
    }
  }
  return names;
}
