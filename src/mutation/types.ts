// The vocabulary of the mutation core: features, the decision each injector reports, and the context it
// reads. Every decision — injected or skipped — is a value with a reason, so the same data feeds the
// pod annotations, response warnings, logs, metrics and `explain` (ARCHITECTURE §4 rule 6).

import type { OperatorConfig } from '../config/types.ts';
import type { Pod, ServerVersion } from '../podspec/types.ts';

/**
 * `logging` is upstream's `datakit/logs` mutation (`admission_mutate.loggings`); `otel` is OpenTelemetry
 * auto-instrumentation (`admission_inject_v2.otels`).
 */
export type FeatureName = 'ddtrace' | 'otel' | 'logfwd' | 'flameshot' | 'profiler' | 'logging';

/** Why a feature was applied. */
export type InjectReason = 'annotation' | 'label-selector' | 'namespace' | 'reinvocation';

/** Why a feature was not applied. Stable strings: they are metric label values. */
export type SkipReason =
  | 'pod-opted-out'
  | 'feature-opted-out'
  | 'not-targeted'
  | 'already-injected'
  | 'invalid-annotation'
  | 'would-break-pod'
  /** The pod has, or gets, the other tracing agent (DDTrace or OpenTelemetry): never both. */
  | 'other-tracer'
  | 'limit-exceeded'
  | 'no-target-containers'
  | 'error';

export type Outcome =
  | {
      readonly feature: FeatureName;
      readonly status: 'injected';
      readonly reason: InjectReason;
      /** The value recorded for this feature in the `admission.datakit/injected` annotation. */
      readonly summary: string | number;
      /** One sentence for people (`explain`, debug logs). */
      readonly detail: string;
      /** Problems that did not stop the injection (e.g. a container skipped), shown to the user. */
      readonly warnings: readonly string[];
    }
  | {
      readonly feature: FeatureName;
      readonly status: 'skipped';
      readonly reason: SkipReason;
      readonly detail: string;
      /** Set when the user should hear about the skip (kubectl warning, pod annotation). */
      readonly warning?: string;
    };

/** What one admission is decided against: the pod's namespace, the running config and the server version. */
export interface MutationContext {
  /** The pod's namespace: `metadata.namespace`, else the AdmissionRequest's namespace (SPEC §3). */
  readonly namespace: string;
  readonly config: OperatorConfig;
  /** Undefined when unknown (offline, or discovery failed). */
  readonly serverVersion: ServerVersion | undefined;
}

export interface MutationResult {
  readonly pod: Pod;
  readonly outcomes: readonly Outcome[];
  readonly warnings: readonly string[];
  readonly changed: boolean;
}
