// Upstream's `datakit/logs` mutation (`admission_mutate.loggings`, reference §3): the first matching rule's
// `config` becomes the pod annotation DataKit reads for container logs, and every directory of its `file`
// entries gets an emptyDir mounted into the app containers, so DataKit can collect the files from the node.
// Unlike upstream, the operator's own sidecars do not get the volumes, a container that already mounts
// something else at a log directory is left alone (with a warning), and directories were checked at load.

import type { LoggingRule } from '../../config/v2/loggings.ts';
import { editPlan, injected, skipped } from '../../mutation/outcomes.ts';
import { isOperatorSidecarName } from '../../mutation/operator-names.ts';
import type { ContainerRef, Edit, Feature, FeaturePlan } from '../../mutation/plan.ts';
import { describeRule, firstMatchingRule } from '../../matching/v2-rules.ts';
import { findMountAt, hasDeviceAt } from '../../podspec/containers.ts';
import type { Container, Pod } from '../../podspec/types.ts';
import { buildEmptyDirVolume, findVolume } from '../../podspec/volumes.ts';
import { ANNOTATION_DATAKIT_LOGS, FEATURE, logsVolumeName } from './constants.ts';

interface AppContainer {
  readonly ref: ContainerRef;
  readonly container: Container;
}

/** The pod's own regular containers: the operator's sidecars never get the log volumes. */
function appContainers(pod: Readonly<Pod>): AppContainer[] {
  return (pod.spec?.containers ?? []).flatMap((container, index) =>
    isOperatorSidecarName(container.name) ? [] : [{ ref: { list: 'containers' as const, index }, container }],
  );
}

/**
 * A name in no volume of the pod and not yet chosen, starting from upstream's name for this position. `taken`
 * holds both, built once per plan: a pod whose volumes already use `-1`, `-2`, … costs one set lookup per
 * candidate, not a scan of its volumes (SPEC §15).
 */
function freeVolumeName(index: number, taken: ReadonlySet<string>): string {
  const base = logsVolumeName(index);
  let name = base;
  for (let n = 1; taken.has(name); n += 1) name = `${base}-${n}`;
  return name;
}

function plan(pod: Readonly<Pod>, rule: LoggingRule, why: string): FeaturePlan {
  const containers = appContainers(pod);
  const warnings: string[] = [];
  const edits: Edit[] = [];
  const chosen = new Set<string>();
  const taken = new Set((pod.spec?.volumes ?? []).map((volume) => volume.name));
  for (const [index, dir] of rule.mount_dirs.entries()) {
    // A directory some container already mounts from an emptyDir is shared, as upstream does.
    const existing = containers
      .map(({ container }) => findMountAt(container, dir))
      .find((mount) => mount !== undefined);
    let name: string;
    if (existing !== undefined) {
      if (findVolume(pod, existing.name)?.emptyDir === undefined) {
        warnings.push(
          `log directory ${dir} is already mounted from volume "${existing.name}", which is not an emptyDir: not mounted`,
        );
        continue;
      }
      name = existing.name;
    } else {
      name = freeVolumeName(index, taken);
      taken.add(name);
      edits.push({ kind: 'add-volume', volume: buildEmptyDirVolume(name) });
    }
    chosen.add(name);
    for (const { ref, container } of containers) {
      const mounted = findMountAt(container, dir);
      if (mounted?.name === name) continue;
      if (mounted !== undefined || hasDeviceAt(container, dir)) {
        warnings.push(
          `container "${container.name}" already uses ${dir} for another volume: log directory not mounted into it`,
        );
        continue;
      }
      if (container.volumeMounts?.some((mount) => mount.name === name)) continue;
      edits.push({ kind: 'add-mount', target: ref, mount: { name, mountPath: dir } });
    }
  }
  edits.push({ kind: 'set-annotation', key: ANNOTATION_DATAKIT_LOGS, value: rule.config });
  const reason = rule.label_selectors.length > 0 ? 'label-selector' : 'namespace';
  const dirs = rule.mount_dirs.length === 0 ? 'no log directory' : rule.mount_dirs.join(', ');
  const detail = `annotation ${ANNOTATION_DATAKIT_LOGS} and ${dirs} (rule ${describeRule(rule)}: ${why})`;
  return editPlan(injected(FEATURE, reason, chosen.size, detail, warnings), edits);
}

export const loggingFeature: Feature = {
  name: FEATURE,
  configured: (config) => config.admission_mutate.loggings.length > 0,
  select(pod, ctx) {
    const annotations = pod.metadata?.annotations ?? {};
    if (Object.hasOwn(annotations, ANNOTATION_DATAKIT_LOGS)) {
      const detail = `the pod already has annotation ${ANNOTATION_DATAKIT_LOGS}`;
      return { selected: false, outcome: skipped(FEATURE, 'not-targeted', detail) };
    }
    const rules = ctx.config.admission_mutate.loggings;
    const input = { namespace: ctx.namespace, labels: pod.metadata?.labels ?? {} };
    const choice = firstMatchingRule(rules, input);
    if (choice === undefined) {
      const detail = `no admission_mutate.loggings rule matches namespace "${ctx.namespace}" and the pod's labels (${rules.length} configured)`;
      return { selected: false, outcome: skipped(FEATURE, 'not-targeted', detail) };
    }
    return { selected: true, plan: (draft) => plan(draft, choice.rule, choice.why) };
  },
};
