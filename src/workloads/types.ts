// The vocabulary of the offline commands (SPEC §13): which object a pod template belongs to, what the
// mutation core decided for it (the problems that make a manifest unusable are Problems: manifest-problem.ts).

import type { Outcome } from '../mutation/types.ts';
import type { JsonObject } from '../podspec/types.ts';

/** Which object a decision is about, as `explain` and warnings name it. */
export interface ObjectIdentity {
  readonly kind: string;
  /** Empty when the object names none and has no namespace of its own (non-workloads). */
  readonly namespace: string;
  /** The name, else the generateName, else empty. */
  readonly name: string;
  /** Where the object sits inside its document: `''` for the document itself, `items[0]` in a List. */
  readonly itemPath: string;
}

/** A pod template (or a Pod) that went through the mutation core. */
export interface TemplateDecision {
  readonly type: 'template';
  readonly identity: ObjectIdentity;
  /** The template's path inside its object: `spec.template`, `spec.jobTemplate.spec.template`, `''` for a Pod. */
  readonly templatePath: string;
  readonly outcomes: readonly Outcome[];
  readonly warnings: readonly string[];
  readonly changed: boolean;
  /** Mistakes in the operator annotations the webhook cannot report (workloads/annotation-lint.ts). */
  readonly lint: readonly string[];
}

/** An object that holds no pod template; it is passed through unchanged. */
export interface PassedThrough {
  readonly type: 'not-a-workload';
  readonly identity: ObjectIdentity;
  readonly reason: string;
}

export type ObjectDecision = TemplateDecision | PassedThrough;

export interface DocumentInjection {
  /** The document with every pod template mutated (a new object; the input is not modified). */
  readonly document: JsonObject;
  /** One entry per object, in document order (a List gives one per item). */
  readonly decisions: readonly ObjectDecision[];
}
