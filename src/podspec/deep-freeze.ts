/**
 * Freezes a value and everything reachable from it, so a config snapshot shared by concurrent requests
 * cannot be changed by any of them. Class instances (compiled selectors, patterns) are frozen too: they
 * keep their behaviour, only their fields become read-only.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
