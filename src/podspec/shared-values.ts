// Values the operator builds once and puts into many pods: a config env that does not name its container
// becomes the same EnvVar in every container of every pod. Such a value is deep-frozen, so its JSON text
// can never change, and the text is kept beside it: the patch places it as it is instead of serialising
// the same object again on every admission (admission/patch.ts).

import { deepFreeze } from './deep-freeze.ts';

const texts = new WeakMap<object, string>();

/** Freezes `value` (and everything in it) and keeps its JSON text; returns `value`. */
export function shareValue<T extends object>(value: T): T {
  deepFreeze(value);
  texts.set(value, JSON.stringify(value));
  return value;
}

/** The JSON text of a value `shareValue` built, or undefined for any other value. */
export function sharedValueText(value: object): string | undefined {
  return texts.get(value);
}
