// The resolved, validated, frozen configuration that everything below the config module receives.
// The raw JSON document (SPEC §2) is turned into this shape by config/load.ts: selectors and namespace
// patterns are compiled once at load, `envs` objects become ordered lists, booleans are real booleans.

import type { ConfiguredEnv, ResourceRequirements, SidecarMode } from '../podspec/types.ts';
import type { LabelSelector } from '../matching/selectors.ts';
import type { NamespacePattern } from '../matching/namespace-pattern.ts';
import type { ImagePullPolicy } from './image-pull-policy.ts';
import type { V2Config } from './v2/types.ts';
import type { MutateConfig } from './v2/loggings.ts';

export type DdtraceLanguage = 'java' | 'python' | 'nodejs';
export type ProfilerLanguage = 'java' | 'python' | 'golang';
export const PROFILER_LANGUAGES: readonly ProfilerLanguage[] = ['java', 'python', 'golang'];
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type TlsMode = 'auto' | 'files' | 'self-managed' | 'ephemeral';
export type ElectionStore = 'auto' | 'memory' | 'kubernetes';

/** One configured env, in document order (order is significant: SPEC §2). */
export interface NamespaceRule<L extends string> {
  /** The pattern as written in the config, for logs and `explain`. */
  readonly namespace: string;
  readonly pattern: NamespacePattern;
  readonly language: L;
}

export interface LabelSelectorRule<L extends string> {
  /** The selector as written in the config, for logs and `explain`. */
  readonly labelselector: string;
  readonly selector: LabelSelector;
  readonly language: L;
}

export interface DdtraceConfig {
  readonly enabled_namespaces: readonly NamespaceRule<DdtraceLanguage>[];
  readonly enabled_labelselectors: readonly LabelSelectorRule<DdtraceLanguage>[];
  readonly images: {
    readonly java_agent_image: string;
    readonly python_agent_image: string;
    readonly js_agent_image: string;
  };
  readonly envs: readonly ConfiguredEnv[];
  readonly resources: ResourceRequirements;
  /** Not set: the injected container has no imagePullPolicy (Kubernetes' default). */
  readonly image_pull_policy?: ImagePullPolicy;
}

export interface LogfwdConfig {
  readonly options: { readonly reuse_exist_volume: boolean; readonly sidecar_mode: SidecarMode };
  readonly images: { readonly logfwd_image: string };
  readonly envs: readonly ConfiguredEnv[];
  readonly resources: ResourceRequirements;
  /** Not set: the injected container has no imagePullPolicy (Kubernetes' default). */
  readonly image_pull_policy?: ImagePullPolicy;
}

export interface ProfilerConfig {
  readonly enabled_namespaces: readonly NamespaceRule<ProfilerLanguage>[];
  readonly enabled_labelselectors: readonly LabelSelectorRule<ProfilerLanguage>[];
  readonly options: { readonly sidecar_mode: SidecarMode; readonly mount_host_localtime: boolean };
  readonly images: {
    readonly java_profiler_image: string;
    readonly python_profiler_image: string;
    readonly golang_profiler_image: string;
  };
  readonly envs: readonly ConfiguredEnv[];
  readonly resources: ResourceRequirements;
  /** Not set: the injected container has no imagePullPolicy (Kubernetes' default). */
  readonly image_pull_policy?: ImagePullPolicy;
}

export interface TlsConfig {
  readonly mode: TlsMode;
  readonly cert_file: string;
  readonly key_file: string;
  /** Names used by the self-managed mode (SPEC §11); config keys so another Helm release name works. */
  readonly secret_name: string;
  readonly service_name: string;
  readonly webhook_config_name: string;
}

export interface ElectionConfig {
  readonly store: ElectionStore;
  readonly lease_duration_seconds: number;
  readonly interval_seconds: number;
  /** Live central-election (token, namespace) scopes one operator keeps; a campaign for one more gets 503. */
  readonly max_scopes: number;
}

export interface OperatorConfig {
  readonly server_listen: string;
  readonly health_listen: string;
  readonly log_level: LogLevel;
  readonly tls: TlsConfig;
  readonly admission_inject: {
    readonly ddtrace: DdtraceConfig;
    readonly logfwd: LogfwdConfig;
    readonly profiler: ProfilerConfig;
  };
  /** Upstream 1.7+ rule lists (src/config/v2); every list empty when the key is not set. */
  readonly admission_inject_v2: V2Config;
  /** Upstream's `admission_mutate` (the `datakit/logs` mutation); no rules when not set. */
  readonly admission_mutate: MutateConfig;
  /** Empty when not set: the operator namespace is then resolved at start-up (SPEC §1). */
  readonly namespace: string;
  /** `auto` or a `MAJOR.MINOR` version; used by the sidecar mode (SPEC §9). */
  readonly kubernetes_version: string;
  readonly election: ElectionConfig;
}
