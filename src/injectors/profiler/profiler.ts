// Profiler sidecar injection (SPEC §8): a `datakit-profiler` container (async-profiler, py-spy or
// go-pprof) beside the app, in a pod whose containers share one process namespace, with the working
// directory and /tmp shared between the profiler and every target container.
//
// Decisions:
// - `spec.shareProcessNamespace: false` set by the user is respected: the profiler is skipped with a
//   warning rather than silently giving every container a view of the others' processes (and of their
//   environments, through /proc) — a security-relevant choice that is the user's to change.
// - With `spec.hostPID: true` the profiler already sees the app's processes, and Kubernetes rejects
//   shareProcessNamespace together with hostPID, so it is not set.
// - `spec.restartPolicy` is never touched (upstream forced Always, which broke Jobs — SPEC §14); Job pods
//   get a native sidecar where the API server supports it (SPEC §9).
// - A target container that mounts another volume at the working directory cannot take the shared one
//   (a second mount at one path makes the pod invalid), so it is left alone with a warning; when that is
//   true of every target container the profiler is skipped. /tmp is decided in shared-mounts.ts.

import type { ProfilerConfig, ProfilerLanguage } from '../../config/types.ts';
import { err, ok, type Result } from '../../errors/result.ts';
import { editPlan, injected, skipPlan, skipped } from '../../mutation/outcomes.ts';
import type { ContainerRef, Edit, Feature, FeaturePlan, RequestContext } from '../../mutation/plan.ts';
import { containerAt } from '../../mutation/target-containers.ts';
import { languageFeature, type Targeted } from '../../mutation/targeting.ts';
import type { InjectReason, MutationContext, SkipReason } from '../../mutation/types.ts';
import { hasContainerNamed } from '../../podspec/containers.ts';
import { replaceImageTag } from '../../podspec/image.ts';
import {
  findSidecar,
  placeSidecar,
  resolveSidecarPlacement,
  type SidecarDecision,
} from '../../podspec/sidecars.ts';
import type { Container, Pod, Volume, VolumeMount } from '../../podspec/types.ts';
import { buildEmptyDirVolume, findVolume } from '../../podspec/volumes.ts';
import { FEATURE, SIDECAR_NAME, WORKDIR_MOUNT_PATH, WORKDIR_VOLUME_NAME } from './constants.ts';
import { PROFILER_LANGUAGE_ROWS, profilerLanguageRow } from './languages.ts';
import {
  WORKDIR_MOUNT,
  canShareWorkdir,
  planSharedMounts,
  readSharedMounts,
  resolveTmpPlan,
  type SharedMounts,
  type TmpPlan,
  type VolumeLookup,
} from './shared-mounts.ts';
import { buildProfilerContainer } from './sidecar-container.ts';
import { resolveTimezonePlan, type TimezonePlan } from './timezone.ts';

function skip(reason: SkipReason, detail: string, warning?: string): FeaturePlan {
  return skipPlan(skipped(FEATURE, reason, detail, warning));
}

/** A skip the user must hear about, worded as what to change. */
function conflict(problem: string): FeaturePlan {
  const message = `profiler not injected: ${problem}`;
  return skip('would-break-pod', message, message);
}

function quoteNames(containers: readonly Container[]): string {
  return containers.map((container) => `"${container.name}"`).join(', ');
}

interface Profiled {
  readonly ref: ContainerRef;
  readonly container: Container;
}

/** Keeps the containers that can take the working-directory mount; warns about the others. */
function selectProfiled(targets: readonly Profiled[], workdir: VolumeMount, warnings: string[]): Profiled[] {
  return targets.filter(({ container }) => {
    if (canShareWorkdir(container, workdir)) return true;
    warnings.push(
      `container "${container.name}" already mounts another volume at ${WORKDIR_MOUNT_PATH}, so it does not ` +
        `share the profiler's directories and async-profiler cannot load its library into it; move that mount`,
    );
    return false;
  });
}

/** Mount edits that connect each profiled container to the shared directories; who got any. */
function planConnections(
  profiled: readonly Profiled[],
  shared: SharedMounts,
  volumeOf: VolumeLookup,
  warnings: string[],
): { readonly edits: Edit[]; readonly connected: Container[] } {
  const edits: Edit[] = [];
  const connected: Container[] = [];
  for (const { ref, container } of profiled) {
    const mounts = planSharedMounts(container, shared, volumeOf, warnings);
    for (const mount of mounts) edits.push({ kind: 'add-mount', target: ref, mount });
    if (mounts.length > 0) connected.push(container);
  }
  return { edits, connected };
}

/** Re-invocation: the sidecar is there; containers added since (by another webhook) get their mounts. */
function planCompletion(
  pod: Readonly<Pod>,
  sidecar: Container,
  targets: readonly Profiled[],
  language: ProfilerLanguage,
  warnings: string[],
): FeaturePlan {
  const summary = `${language}:${sidecar.image ?? ''}`;
  const shared = readSharedMounts(sidecar);
  if (!shared) {
    return skip(
      'already-injected',
      `container "${SIDECAR_NAME}" exists without a mount at ${WORKDIR_MOUNT_PATH}: left as it is`,
    );
  }
  const profiled = selectProfiled(targets, shared.workdir, warnings);
  const { edits, connected } = planConnections(profiled, shared, (name) => findVolume(pod, name), warnings);
  if (connected.length === 0) return skip('already-injected', `already injected (${summary})`);
  const detail = `completed the ${language} profiler's mounts in ${quoteNames(connected)}`;
  return editPlan(injected(FEATURE, 'reinvocation', summary, detail, warnings), edits);
}

interface Request {
  readonly language: ProfilerLanguage;
  readonly image: string;
  readonly reason: InjectReason;
  readonly decidedBy: string;
}

interface Decisions {
  readonly profiled: readonly Profiled[];
  readonly tmp: Exclude<TmpPlan, { kind: 'conflict' }>;
  readonly timezone: TimezonePlan;
  readonly placement: SidecarDecision;
}

/** Everything decided before any edit is planned. */
function resolveDecisions(
  pod: Readonly<Pod>,
  ctx: MutationContext,
  config: ProfilerConfig,
  targets: readonly Profiled[],
  warnings: string[],
): Result<Decisions, FeaturePlan> {
  if (hasContainerNamed(pod, SIDECAR_NAME)) {
    return err(conflict(`an ephemeral container is named "${SIDECAR_NAME}"; rename it`));
  }
  if (findVolume(pod, WORKDIR_VOLUME_NAME)) {
    return err(
      conflict(
        `a volume named "${WORKDIR_VOLUME_NAME}" already exists and was not added by the operator; rename it`,
      ),
    );
  }
  if (pod.spec?.shareProcessNamespace === false) {
    return err(
      conflict(
        `the pod sets spec.shareProcessNamespace to false, and the profiler sees the app's processes only in a ` +
          `shared process namespace; remove spec.shareProcessNamespace to profile this pod`,
      ),
    );
  }
  const profiled = selectProfiled(targets, WORKDIR_MOUNT, warnings);
  if (profiled.length === 0) {
    return err(
      conflict(
        `every target container already mounts another volume at ${WORKDIR_MOUNT_PATH}, where the profiler ` +
          `shares its library with the app; move that mount to profile this pod`,
      ),
    );
  }
  const tmp = resolveTmpPlan(
    pod,
    profiled.map(({ container }) => container),
  );
  if (tmp.kind === 'conflict') return err(conflict(tmp.detail));
  const timezone = resolveTimezonePlan(pod, config.options.mount_host_localtime);
  if (timezone.kind === 'none' && timezone.warning !== undefined) warnings.push(timezone.warning);
  const placement = resolveSidecarPlacement(
    config.options.sidecar_mode,
    pod,
    ctx.serverVersion,
    SIDECAR_NAME,
  );
  if (placement.warning !== undefined) warnings.push(placement.warning);
  return ok({ profiled, tmp, timezone, placement });
}

function planProfiler(
  pod: Readonly<Pod>,
  config: ProfilerConfig,
  request: Request,
  decisions: Decisions,
  warnings: string[],
): FeaturePlan {
  const { profiled, tmp, timezone, placement } = decisions;
  const volumes: Volume[] = [buildEmptyDirVolume(WORKDIR_VOLUME_NAME)];
  if (tmp.kind === 'new') volumes.push(tmp.volume);
  if (timezone.kind === 'mount') volumes.push(timezone.volume);
  const edits: Edit[] = volumes.map((volume) => ({ kind: 'add-volume', volume }));
  const shared: SharedMounts = { workdir: { ...WORKDIR_MOUNT }, tmp: tmp.mount };
  const mounts: VolumeMount[] = [shared.workdir, tmp.mount];
  if (timezone.kind === 'mount') mounts.push(timezone.mount);
  const sidecar = buildProfilerContainer(request.image, config, mounts);
  edits.push({ kind: 'add-container', ...placeSidecar(sidecar, placement.placement) });
  const hostPid = pod.spec?.hostPID === true;
  if (!hostPid) edits.push({ kind: 'set-spec-field', field: 'shareProcessNamespace', value: true });
  const planned = new Map(volumes.map((volume) => [volume.name, volume]));
  const volumeOf: VolumeLookup = (name) => planned.get(name) ?? findVolume(pod, name);
  edits.push(...planConnections(profiled, shared, volumeOf, warnings).edits);

  const where = placement.placement === 'native' ? 'a native sidecar' : 'a sidecar container';
  const detail =
    `${request.language} profiler ${request.image} as ${where} beside ${quoteNames(profiled.map(({ container }) => container))} ` +
    `(${request.decidedBy}; ${placement.reason}${hostPid ? "; hostPID: it sees the node's processes" : ''})`;
  const outcome = injected(FEATURE, request.reason, `${request.language}:${request.image}`, detail, warnings);
  return editPlan(outcome, edits);
}

function plan(
  pod: Readonly<Pod>,
  decision: Targeted<ProfilerLanguage>,
  request: RequestContext,
): FeaturePlan {
  const config = request.config.admission_inject.profiler;
  if (request.targets.limitExceeded !== undefined) {
    const message = `profiler not injected: ${request.targets.limitExceeded}`;
    return skip('limit-exceeded', message, message);
  }
  const targets = request.targets.refs.map((ref) => ({ ref, container: containerAt(pod, ref) }));
  const warnings = [...request.targets.warnings];
  if (targets.length === 0) {
    const detail = 'the pod has no container to profile';
    return skip('no-target-containers', detail, warnings.length > 0 ? warnings.join('; ') : undefined);
  }
  const existing = findSidecar(pod, SIDECAR_NAME);
  if (existing) return planCompletion(pod, existing, targets, decision.language, warnings);

  const image = replaceImageTag(
    profilerLanguageRow(decision.language).image(config.images),
    decision.tag ?? '',
  );
  const decisions = resolveDecisions(pod, request, config, targets, warnings);
  if (!decisions.ok) return decisions.error;
  const profilerRequest = {
    language: decision.language,
    image,
    reason: decision.reason,
    decidedBy: decision.detail,
  };
  return planProfiler(pod, config, profilerRequest, decisions.value, warnings);
}

export const profilerFeature: Feature = languageFeature(
  FEATURE,
  PROFILER_LANGUAGE_ROWS,
  (config) => config.admission_inject.profiler,
  plan,
);
