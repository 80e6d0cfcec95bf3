// The operator's `--config` documents. The process settings (listeners, TLS, namespace) are fixed per
// operator; a journey supplies only `admission_inject`. Journeys swap the document through the config
// file's hot reload (SPEC §2), as a ConfigMap edit would in a cluster.

export interface OperatorRuntime {
  readonly serverListen: string;
  readonly healthListen: string;
  /** The operator's own namespace (TLS Secret, Leases). */
  readonly namespace: string;
  readonly tls: Readonly<Record<string, string>>;
}

export type AdmissionInjectDocument = Readonly<Record<string, unknown>>;

export function buildOperatorConfigDocument(
  runtime: OperatorRuntime,
  admissionInject: AdmissionInjectDocument = {},
): Record<string, unknown> {
  return {
    server_listen: runtime.serverListen,
    health_listen: runtime.healthListen,
    log_level: 'info',
    namespace: runtime.namespace,
    tls: { ...runtime.tls },
    admission_inject: structuredClone(admissionInject),
  };
}

export interface RunScope {
  /** Prepended to every namespace pattern: `dko-e2e-<run>-gen-`. */
  readonly namespacePrefix: string;
  /** Prepended to every label selector as one more requirement, e.g. `e2e.datakit/run=abc123`. */
  readonly selectorRequirement: string;
}

const TARGETED_FEATURES = ['ddtrace', 'profiler'] as const;

/**
 * Narrows the rules of a config document to the pods of this run, without changing what they decide for
 * those pods: the pods live in `<prefix><name>` namespaces and carry the run label, so
 * - namespace pattern P (which must match a whole name) becomes `<prefix>(?:P)`: it matches `<prefix>N`
 *   exactly when P matches N; `*` becomes `<prefix>.*`, which matches every namespace of the run;
 * - selector S becomes `<requirement>,S` (comma = AND): true for the run's pods exactly when S is.
 * A rule that matched every namespace or label of a shared cluster would otherwise instrument pods that
 * other people create while the suite runs.
 */
export function scopeToRun(
  admissionInject: AdmissionInjectDocument,
  scope: RunScope,
): Record<string, unknown> {
  const scoped = structuredClone(admissionInject) as Record<string, unknown>;
  const prefix = escapeRegExp(scope.namespacePrefix);
  for (const feature of TARGETED_FEATURES) {
    const section = scoped[feature] as Record<string, unknown> | undefined;
    if (section === undefined) continue;
    for (const rule of rulesOf(section, 'enabled_namespaces')) {
      const pattern = String(rule['namespace']);
      rule['namespace'] = pattern === '*' ? `${prefix}.*` : `${prefix}(?:${pattern})`;
    }
    for (const rule of rulesOf(section, 'enabled_labelselectors')) {
      rule['labelselector'] = `${scope.selectorRequirement},${String(rule['labelselector'])}`;
    }
  }
  return scoped;
}

function rulesOf(section: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const rules = section[key];
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) throw new Error(`${key} must be an array to be scoped to the run`);
  for (const rule of rules) {
    const keys = Object.keys(rule as object);
    const expected = key === 'enabled_namespaces' ? 'namespace' : 'labelselector';
    // The config accepts any case ("Namespace"); the scoping rewrites only the lowercase key it knows.
    if (!keys.includes(expected))
      throw new Error(`${key} rule ${JSON.stringify(rule)} has no "${expected}" key`);
  }
  return rules as Record<string, unknown>[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
