// The pod invariants of SPEC §3 and §15, checked on a plan before it is applied: unique container names
// (init, app and ephemeral together), unique volume names, per container unique mountPaths that are not
// also device paths (volumeDevices), unique env names, and every mount naming an existing volume. Only
// what a plan adds is checked — a problem the user's pod already had is not ours to report — so the
// cost is the plan's size plus, once per container a plan touches, that container's size.

import type { Container, Pod } from '../podspec/types.ts';
import { allContainerNames } from '../podspec/containers.ts';
import { annotationBytes } from './annotation-size.ts';
import { MAX_TOTAL_ANNOTATION_BYTES } from './limits.ts';
import type { ContainerRef, Edit } from './plan.ts';

type NamedEntries = readonly { readonly name: string }[];

interface ContainerIndex {
  readonly name: string;
  readonly mountPaths: Set<string>;
  readonly devicePaths: Set<string>;
  /** The env as the draft has it: the user's duplicate names are tolerated, ours are not. */
  env: NamedEntries;
  /** How often each name occurs in `env`; counted only once a checked env repeats a name (rare). */
  envCounts: Map<string, number> | undefined;
}

function countNames(env: NamedEntries | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of env ?? []) counts.set(entry.name, (counts.get(entry.name) ?? 0) + 1);
  return counts;
}

/** Up to this many entries, names are compared pairwise: no set for the usual env of a dozen. */
const PAIRWISE_MAX_ENTRIES = 16;

/** Whether some name occurs more than once: one set (or none, for a short list), no counting unless so. */
function repeatsAName(entries: NamedEntries): boolean {
  if (entries.length <= PAIRWISE_MAX_ENTRIES) {
    for (let later = 1; later < entries.length; later += 1) {
      const name = (entries[later] as { readonly name: string }).name;
      for (let earlier = 0; earlier < later; earlier += 1) {
        if ((entries[earlier] as { readonly name: string }).name === name) return true;
      }
    }
    return false;
  }
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (seen.has(name)) return true;
    seen.add(name);
  }
  return false;
}

function arrayOf<T>(value: unknown): readonly T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function indexContainer(container: Container): ContainerIndex {
  const devices = arrayOf<{ devicePath?: unknown }>(container.volumeDevices);
  return {
    name: container.name,
    mountPaths: new Set(arrayOf<{ mountPath: string }>(container.volumeMounts).map((m) => m.mountPath)),
    devicePaths: new Set(devices.map((device) => String(device.devicePath))),
    env: arrayOf<{ name: string }>(container.env),
    envCounts: undefined,
  };
}

function refKey(ref: ContainerRef): string {
  return `${ref.list}/${ref.index}`;
}

/** The names and paths of the pod as the applied plans left it, built lazily and kept up to date. */
export class PlanChecker {
  #containerNames: Set<string> | undefined;
  #volumeNames: Set<string> | undefined;
  readonly #containers = new Map<string, ContainerIndex>();

  /** Every invariant the edits would break in `pod` (the current draft), as sentences for the user. */
  check(pod: Readonly<Pod>, edits: readonly Edit[]): string[] {
    const violations: string[] = [];
    // What this plan adds, kept apart from what the pod already has; each made only when an edit needs it
    // (this runs once per plan on every admission).
    let newContainers: Set<string> | undefined;
    let newVolumes: Set<string> | undefined;
    let newMounts: Map<string, Set<string>> | undefined;
    let newAnnotations: Map<string, string> | undefined;
    const volumeExists = (name: string) =>
      this.#allVolumeNames(pod).has(name) || newVolumes?.has(name) === true;

    for (const edit of edits) {
      switch (edit.kind) {
        case 'add-volume': {
          const name = edit.volume.name;
          if (volumeExists(name)) violations.push(`volume name "${name}" is used more than once`);
          newVolumes ??= new Set<string>();
          newVolumes.add(name);
          break;
        }
        case 'add-container': {
          const { name } = edit.container;
          if (this.#allContainerNames(pod).has(name) || newContainers?.has(name) === true) {
            violations.push(`container name "${name}" is used more than once`);
          }
          newContainers ??= new Set<string>();
          newContainers.add(name);
          violations.push(...checkNewContainer(edit.container, volumeExists));
          break;
        }
        case 'add-mount': {
          const container = this.#container(pod, edit.target);
          const key = refKey(edit.target);
          newMounts ??= new Map<string, Set<string>>();
          const pending = newMounts.get(key) ?? new Set<string>();
          newMounts.set(key, pending);
          const path = edit.mount.mountPath;
          if (container.mountPaths.has(path) || pending.has(path)) {
            violations.push(`container "${container.name}" mounts more than one volume at "${path}"`);
          } else if (container.devicePaths.has(path)) {
            violations.push(`container "${container.name}" mounts a volume at "${path}", its device path`);
          }
          pending.add(path);
          if (!volumeExists(edit.mount.name)) {
            violations.push(
              `container "${container.name}" mounts volume "${edit.mount.name}", which does not exist`,
            );
          }
          break;
        }
        case 'set-env': {
          if (!repeatsAName(edit.env)) break;
          const container = this.#container(pod, edit.target);
          container.envCounts ??= countNames(container.env);
          for (const [name, count] of countNames(edit.env)) {
            if (count > 1 && count > (container.envCounts.get(name) ?? 0)) {
              violations.push(`container "${container.name}" defines env "${name}" more than once`);
            }
          }
          break;
        }
        case 'set-spec-field':
          break;
        case 'set-annotation':
          newAnnotations ??= new Map<string, string>();
          newAnnotations.set(edit.key, edit.value);
          break;
      }
    }
    const annotations = pod.metadata?.annotations ?? {};
    if (
      newAnnotations !== undefined &&
      annotationBytes(annotations, newAnnotations) > MAX_TOTAL_ANNOTATION_BYTES
    ) {
      violations.push(
        `annotation "${[...newAnnotations.keys()].join('", "')}" would take the pod's annotations over the ` +
          `API server's limit of ${MAX_TOTAL_ANNOTATION_BYTES} bytes`,
      );
    }
    return violations;
  }

  /** Records edits that were checked and applied to the draft. */
  record(pod: Readonly<Pod>, edits: readonly Edit[]): void {
    for (const edit of edits) {
      switch (edit.kind) {
        case 'add-volume':
          this.#allVolumeNames(pod).add(edit.volume.name);
          break;
        case 'add-container':
          this.#allContainerNames(pod).add(edit.container.name);
          break;
        case 'add-mount':
          this.#container(pod, edit.target).mountPaths.add(edit.mount.mountPath);
          break;
        case 'set-env': {
          const container = this.#container(pod, edit.target);
          container.env = edit.env;
          container.envCounts = undefined;
          break;
        }
        case 'set-spec-field':
          break;
        case 'set-annotation':
          break;
      }
    }
  }

  #allContainerNames(pod: Readonly<Pod>): Set<string> {
    this.#containerNames ??= allContainerNames(pod);
    return this.#containerNames;
  }

  #allVolumeNames(pod: Readonly<Pod>): Set<string> {
    this.#volumeNames ??= new Set(arrayOf<{ name: string }>(pod.spec?.volumes).map((v) => v.name));
    return this.#volumeNames;
  }

  // Indexed on first use, from the draft: a container added by an earlier plan is indexed as it was added.
  #container(pod: Readonly<Pod>, ref: ContainerRef): ContainerIndex {
    const key = refKey(ref);
    let index = this.#containers.get(key);
    if (index === undefined) {
      const container = arrayOf<Container>(pod.spec?.[ref.list])[ref.index];
      if (container === undefined) throw new Error(`no container at spec.${ref.list}[${ref.index}]`);
      index = indexContainer(container);
      this.#containers.set(key, index);
    }
    return index;
  }
}

function checkNewContainer(container: Container, volumeExists: (name: string) => boolean): string[] {
  const violations: string[] = [];
  const mounts = container.volumeMounts ?? [];
  // An init container has one mount: no set unless two could collide.
  const paths = mounts.length > 1 ? new Set<string>() : undefined;
  for (const mount of mounts) {
    if (paths?.has(mount.mountPath) === true) {
      violations.push(`container "${container.name}" mounts more than one volume at "${mount.mountPath}"`);
    }
    paths?.add(mount.mountPath);
    if (!volumeExists(mount.name)) {
      violations.push(`container "${container.name}" mounts volume "${mount.name}", which does not exist`);
    }
  }
  const env = container.env ?? [];
  if (repeatsAName(env)) {
    for (const [name, count] of countNames(env)) {
      if (count > 1) violations.push(`container "${container.name}" defines env "${name}" more than once`);
    }
  }
  return violations;
}
