// The resolved `admission_inject_v2` configuration (upstream 1.7+, reference §1): one list of rules per
// feature. Selectors are compiled at load; every rule knows its config path for messages.

import type { ConfiguredEnv } from '../../podspec/types.ts';
import type { V2AnnotatedRuleTarget, V2RuleTarget } from '../../matching/v2-rules.ts';
import type { ResourceRequirements } from '../../podspec/types.ts';
import type { ImagePullPolicy } from '../image-pull-policy.ts';
import type { DdtraceLanguage, ProfilerLanguage } from '../types.ts';

export type { ImagePullPolicy } from '../image-pull-policy.ts';

/** The DDTrace languages of v2 rules: v1's three and PHP. `js` is not accepted in v2. */
export type V2DdtraceLanguage = DdtraceLanguage | 'php';

export type PhpLoaderFlavor = 'linux-gnu' | 'linux-musl';

/** What every v2 rule has besides its selectors. */
export interface V2ContainerSettings {
  readonly image: string;
  readonly image_pull_policy: ImagePullPolicy;
  readonly envs: readonly ConfiguredEnv[];
  readonly resources: ResourceRequirements;
}

export interface DdtraceV2Rule extends V2AnnotatedRuleTarget, V2ContainerSettings {
  readonly language: V2DdtraceLanguage;
  /** Only meaningful for `php`; `linux-gnu` when not set. */
  readonly php_loader_flavor: PhpLoaderFlavor;
}

export interface LogfwdV2Rule extends V2AnnotatedRuleTarget, V2ContainerSettings {
  /** The compacted JSON array text of `log_configs`, or '' when not set. */
  readonly log_configs: string;
  /** The `path` of each enabled `file` entry of `log_configs`, read at load (absolute). */
  readonly log_config_paths: readonly string[];
  readonly log_volume_paths: readonly string[];
}

export interface FlameshotV2Rule extends V2RuleTarget, V2ContainerSettings {
  readonly processes: string;
  /** The sidecar's envs: `envs` with FLAMESHOT_PROCESSES set to `processes` (built once, at load). */
  readonly sidecar_envs: readonly ConfiguredEnv[];
  readonly enable_prometheus_annotations: boolean;
  /** From env FLAMESHOT_PROFILING_PATH, cleaned; undefined when not set (the rule then injects nothing). */
  readonly profiling_path: string | undefined;
  /** From env FLAMESHOT_HTTP_LOCAL_PORT; undefined when not set (the rule then injects nothing). */
  readonly port: number | undefined;
}

export interface ProfilerV2Rule extends V2AnnotatedRuleTarget, V2ContainerSettings {
  /** Undefined: the language comes from the `<lang>-profiler.version` annotation (check_annotation). */
  readonly language: ProfilerLanguage | undefined;
}

/** The OpenTelemetry auto-instrumentation languages (reference §1.1): exactly these, case-sensitive. */
export type OtelLanguage = 'java' | 'python' | 'nodejs';

export interface OtelV2Rule extends V2AnnotatedRuleTarget, V2ContainerSettings {
  readonly language: OtelLanguage;
}

/** The v2 lists a valid v1 section replaces (reference §1.7). */
export type V1OverridableList = 'ddtraces' | 'logfwds' | 'profilers';

export interface V2Config {
  /** The rules in effect: empty when the list is not set or a v1 section overrides it. */
  readonly ddtraces: readonly DdtraceV2Rule[];
  readonly logfwds: readonly LogfwdV2Rule[];
  readonly flameshots: readonly FlameshotV2Rule[];
  readonly profilers: readonly ProfilerV2Rule[];
  readonly otels: readonly OtelV2Rule[];
  /** The non-empty v2 lists that a v1 `admission_inject` section overrides, as upstream does. */
  readonly overridden_by_v1: readonly V1OverridableList[];
}
