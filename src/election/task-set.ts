// The task election's task set (SPEC §10.2): the input names a DataKit reports, each weighted by its count.
// Two sets are "the same" when they name the same inputs; weights may differ without making them differ.

export type TaskSet = ReadonlyMap<string, number>;

/** An unambiguous identity for the names of a set, whatever their order or weights. */
export function taskSetKey(tasks: TaskSet): string {
  return JSON.stringify(sortedNames(tasks.keys()));
}

/** How `b` compares with `a`, in O(inputs): the same inputs and counts, the same inputs, or not. */
export function compareTaskSets(a: TaskSet, b: TaskSet): 'same' | 'same-names' | 'different' {
  if (a.size !== b.size) return 'different';
  let weightsDiffer = false;
  for (const [name, weight] of a) {
    const other = b.get(name);
    if (other === undefined) return 'different';
    if (other !== weight) weightsDiffer = true;
  }
  return weightsDiffer ? 'same-names' : 'same';
}

export function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort(compareText);
}

/** Code-unit order: the same on every replica and every locale (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The 400 text for a request whose set is not the registered one. Keeps upstream's wording (people search
 * logs for it) and names the exact difference.
 */
export function describeTaskSetDifference(registered: TaskSet, requested: TaskSet): string {
  const missing = sortedNames([...registered.keys()].filter((name) => !requested.has(name)));
  const unregistered = sortedNames([...requested.keys()].filter((name) => !registered.has(name)));
  const difference = [
    ...(missing.length > 0 ? [`missing: ${missing.join(', ')}`] : []),
    ...(unregistered.length > 0 ? [`unregistered: ${unregistered.join(', ')}`] : []),
  ].join('; ');
  const summary =
    registered.size === requested.size
      ? `unregistered task: ${unregistered[0] ?? ''}`
      : `mismatched number of tasks, expect ${registered.size}, got ${requested.size}`;
  return (
    `Invalid election parameter: ${summary} (${difference}); ` +
    'every DataKit in the election must report the same election inputs: align their configuration'
  );
}
