// Loose, structural views of the raw Pod JSON we receive. They name only the fields the operator reads or
// writes; every object keeps an index signature so that unknown and newer fields survive untouched
// (we never round-trip the pod through a typed model — SPEC §3).

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: unknown };

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: JsonObject;
  [key: string]: unknown;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  [key: string]: unknown;
}

export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  [key: string]: unknown;
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: string; localhostProfile?: string };
  [key: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  volumeMounts?: VolumeMount[];
  /** Raw block devices; a devicePath is as taken as a mountPath (SPEC §15). */
  volumeDevices?: { name: string; devicePath: string; [key: string]: unknown }[];
  resources?: ResourceRequirements;
  securityContext?: SecurityContext;
  restartPolicy?: string;
  [key: string]: unknown;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: string;
  shareProcessNamespace?: boolean;
  securityContext?: SecurityContext;
  [key: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: PodSpec;
  [key: string]: unknown;
}

/** The API server's version, as far as the sidecar mode needs it (SPEC §9). */
export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
}

/** How a sidecar is added: a regular container, a native sidecar (an init container that keeps running), or chosen per pod. */
export type SidecarMode = 'auto' | 'container' | 'native';

/** One configured env of a feature, in config order, its value possibly a placeholder (SPEC §5). */
export interface ConfiguredEnv {
  readonly name: string;
  readonly value: string;
}
