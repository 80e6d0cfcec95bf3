// The operator configs the corpus runs under, as the JSON documents a user would write. Every item names
// one; the HTTP part starts the operator with the same document (plus listen addresses and TLS).

/** A namespace and a label that no corpus pod uses: rules exist, as in a real cluster, but do not match. */
export const INSTRUMENTED_NAMESPACE = 'instrumented';
export const INSTRUMENTED_APP_LABEL = 'instrumented';

/** The adversarial glob of the issue, matched against a huge label value that does not end in -v2. */
export const ADVERSARIAL_GLOB_SELECTOR = 'app=*-backend-*-v2';

/** Config ddtrace envs that all reference each other (a dense, cyclic $(NAME) graph). */
export const REFERENCING_ENV_COUNT = 120;

export type ConfigName = 'typical' | 'glob-selector' | 'referencing-envs';

function typicalDdtrace(): Record<string, unknown> {
  return {
    enabled_namespaces: [{ namespace: INSTRUMENTED_NAMESPACE, language: 'java' }],
    enabled_labelselectors: [{ labelselector: `app=${INSTRUMENTED_APP_LABEL}`, language: 'java' }],
  };
}

function referencingEnvs(): Record<string, string> {
  const names = Array.from({ length: REFERENCING_ENV_COUNT }, (_, index) => `BENCH_REF_${index}`);
  const envs: Record<string, string> = {};
  for (const name of names) {
    envs[name] = names
      .filter((other) => other !== name)
      .map((other) => `$(${other})`)
      .join(',');
  }
  return envs;
}

/** The config document (merged over the built-in defaults by the operator). */
export function configDocument(name: ConfigName): Record<string, unknown> {
  const ddtrace = typicalDdtrace();
  if (name === 'glob-selector') {
    ddtrace.enabled_labelselectors = [
      ...(ddtrace.enabled_labelselectors as unknown[]),
      { labelselector: ADVERSARIAL_GLOB_SELECTOR, language: 'java' },
    ];
  }
  if (name === 'referencing-envs') ddtrace.envs = referencingEnvs();
  return { admission_inject: { ddtrace } };
}

export const CONFIG_NAMES: readonly ConfigName[] = ['typical', 'glob-selector', 'referencing-envs'];
