// Name validators with the rules of k8s.io/apimachinery/pkg/util/validation, so that what we accept in the
// config (and what we write into pods) is exactly what the API server would accept.

const QUALIFIED_NAME_PART = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const QUALIFIED_NAME_MAX_LENGTH = 63;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const LABEL_VALUE_MAX_LENGTH = 63;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const DNS_SUBDOMAIN_MAX_LENGTH = 253;
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MAX_LENGTH = 63;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_MAP_KEY_MAX_LENGTH = 253;

/** A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function isQualifiedName(s: string): boolean {
  const slash = s.indexOf('/');
  const name = slash === -1 ? s : s.slice(slash + 1);
  if (slash !== -1 && !isDnsSubdomain(s.slice(0, slash))) return false;
  return name.length <= QUALIFIED_NAME_MAX_LENGTH && QUALIFIED_NAME_PART.test(name);
}

/** A label value: empty, or at most 63 alphanumerics with `-`, `_`, `.` inside. */
export function isLabelValue(s: string): boolean {
  return s.length <= LABEL_VALUE_MAX_LENGTH && LABEL_VALUE.test(s);
}

/** RFC 1123 subdomain (Secret, ConfigMap and most object names). */
export function isDnsSubdomain(s: string): boolean {
  return s.length <= DNS_SUBDOMAIN_MAX_LENGTH && DNS_SUBDOMAIN.test(s);
}

/** RFC 1123 label (namespace, container, volume and port names). */
export function isDnsLabel(s: string): boolean {
  return s.length <= DNS_LABEL_MAX_LENGTH && DNS_LABEL.test(s);
}

// Kubernetes rejects `.`, `..` and a `..` prefix in env names and keys because they double as file names
// (projected volumes, envFrom) where they would escape the directory.
function hasChdirPrefix(s: string): boolean {
  return s === '.' || s.startsWith('..');
}

/** An env var name as the API server validates it (the strict, pre-1.30 rule that every cluster accepts). */
export function isEnvVarName(s: string): boolean {
  return ENV_VAR_NAME.test(s) && !hasChdirPrefix(s);
}

/** A key in a Secret or ConfigMap. */
export function isConfigMapKey(s: string): boolean {
  return s.length <= CONFIG_MAP_KEY_MAX_LENGTH && CONFIG_MAP_KEY.test(s) && !hasChdirPrefix(s);
}
