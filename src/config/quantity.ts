// Kubernetes resource quantities and resource names, checked at load so that the containers we inject
// never carry a value the API server would reject (which would fail the whole pod creation).

// <number><suffix> per k8s.io/apimachinery resource.Quantity; no sign, since a container resource is never
// negative. The exponent alternative comes before the bare `E` (exa) suffix so `1E3` is read as 1000.
const QUANTITY =
  /^\+?(?<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|m|k|M|G|T|P|E)?$/;

const SUFFIX_MULTIPLIERS: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The standard container resources whose names are matched case-insensitively in the config. */
export const STANDARD_RESOURCE_NAMES = ['cpu', 'memory', 'ephemeral-storage'] as const;

/**
 * The value of a quantity as a float, or undefined when the text is not a quantity. Precise enough to
 * compare a request with its limit; not meant for arithmetic.
 */
export function parseQuantity(text: string): number | undefined {
  const groups = QUANTITY.exec(text)?.groups;
  const number = groups?.['number'];
  if (number === undefined) return undefined;
  const suffix = groups?.['suffix'] ?? '';
  const multiplier = /^[eE][+-]?[0-9]+$/.test(suffix)
    ? 10 ** Number(suffix.slice(1))
    : SUFFIX_MULTIPLIERS[suffix];
  return multiplier === undefined ? undefined : Number(number) * multiplier;
}

export function isQuantity(text: string): boolean {
  return parseQuantity(text) !== undefined;
}

// An extended resource is a domain-prefixed name outside kubernetes.io (e.g. `nvidia.com/gpu`); hugepages
// are the one standard family with a size in the name (e.g. `hugepages-2Mi`).
const EXTENDED_RESOURCE =
  /^(?<domain>[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const MAX_DOMAIN_LENGTH = 253;
const MAX_NAME_LENGTH = 63;

/** True for names a container's `resources.requests` / `resources.limits` may use. */
export function isContainerResourceName(name: string): boolean {
  if ((STANDARD_RESOURCE_NAMES as readonly string[]).includes(name)) return true;
  if (name.startsWith('hugepages-')) return isQuantity(name.slice('hugepages-'.length));
  const domain = EXTENDED_RESOURCE.exec(name)?.groups?.['domain'];
  if (domain === undefined) return false;
  const localName = name.slice(domain.length + 1);
  const isKubernetesDomain = domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io');
  return !isKubernetesDomain && domain.length <= MAX_DOMAIN_LENGTH && localName.length <= MAX_NAME_LENGTH;
}
