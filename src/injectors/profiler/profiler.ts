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
import { injected, skipped } from '../../mutation/outcomes.ts';
import { resolveTargetContainers } from '../../mutation/target-containers.ts';
import { resolveFeatureTarget } from '../../mutation/targeting.ts';
import type { Injector, InjectReason, MutationContext, Outcome, SkipReason } from '../../mutation/types.ts';
import { allContainerNames, ensureSpec } from '../../podspec/containers.ts';
import { replaceImageTag } from '../../podspec/image.ts';
import {
  addSidecar,
  findSidecar,
  resolveSidecarPlacement,
  type SidecarDecision,
} from '../../podspec/sidecars.ts';
import type { Container, Pod, VolumeMount } from '../../podspec/types.ts';
import { addVolumeIfAbsent, buildEmptyDirVolume, findVolume } from '../../podspec/volumes.ts';
import { FEATURE, SIDECAR_NAME, WORKDIR_MOUNT_PATH, WORKDIR_VOLUME_NAME } from './constants.ts';
import { PROFILER_LANGUAGE_ROWS, profilerLanguageRow } from './languages.ts';
import {
  WORKDIR_MOUNT,
  canShareWorkdir,
  connectContainer,
  readSharedMounts,
  resolveTmpPlan,
  type SharedMounts,
  type TmpPlan,
} from './shared-mounts.ts';
import { buildProfilerContainer } from './sidecar-container.ts';
import { resolveTimezonePlan, type TimezonePlan } from './timezone.ts';

function outcomeSkip(reason: SkipReason, detail: string, warning?: string): Outcome {
  return skipped(FEATURE, reason, detail, warning);
}

/** A skip the user must hear about, worded as what to change. */
function conflict(problem: string): Outcome {
  const message = `profiler not injected: ${problem}`;
  return outcomeSkip('would-break-pod', message, message);
}

function quoteNames(containers: readonly Container[]): string {
  return containers.map((container) => `"${container.name}"`).join(', ');
}

/** Keeps the containers that can take the working-directory mount; warns about the others. */
function selectProfiled(
  targets: readonly Container[],
  workdir: VolumeMount,
  warnings: string[],
): Container[] {
  return targets.filter((container) => {
    if (canShareWorkdir(container, workdir)) return true;
    warnings.push(
      `container "${container.name}" already mounts another volume at ${WORKDIR_MOUNT_PATH}, so it does not ` +
        `share the profiler's directories and async-profiler cannot load its library into it; move that mount`,
    );
    return false;
  });
}

/** Re-invocation: the sidecar is there; containers added since (by another webhook) get their mounts. */
function completeEarlierInjection(
  draft: Pod,
  sidecar: Container,
  targets: readonly Container[],
  language: ProfilerLanguage,
  warnings: string[],
): Outcome {
  const summary = `${language}:${sidecar.image ?? ''}`;
  const shared = readSharedMounts(sidecar);
  if (!shared) {
    return outcomeSkip(
      'already-injected',
      `container "${SIDECAR_NAME}" exists without a mount at ${WORKDIR_MOUNT_PATH}: left as it is`,
    );
  }
  const profiled = selectProfiled(targets, shared.workdir, warnings);
  const completed = profiled.filter((container) => connectContainer(draft, container, shared, warnings));
  if (completed.length === 0) return outcomeSkip('already-injected', `already injected (${summary})`);
  const detail = `completed the ${language} profiler's mounts in ${quoteNames(completed)}`;
  return injected(FEATURE, 'reinvocation', summary, detail, warnings);
}

interface Request {
  readonly language: ProfilerLanguage;
  readonly image: string;
  readonly reason: InjectReason;
  readonly decidedBy: string;
}

interface Plan {
  readonly profiled: readonly Container[];
  readonly tmp: Exclude<TmpPlan, { kind: 'conflict' }>;
  readonly timezone: TimezonePlan;
  readonly placement: SidecarDecision;
}

/** Everything decided before the pod is touched: a skip leaves the draft exactly as it was. */
function resolvePlan(
  draft: Pod,
  ctx: MutationContext,
  config: ProfilerConfig,
  targets: readonly Container[],
  warnings: string[],
): Result<Plan, Outcome> {
  if (allContainerNames(draft).has(SIDECAR_NAME)) {
    return err(conflict(`an ephemeral container is named "${SIDECAR_NAME}"; rename it`));
  }
  if (findVolume(draft, WORKDIR_VOLUME_NAME)) {
    return err(
      conflict(
        `a volume named "${WORKDIR_VOLUME_NAME}" already exists and was not added by the operator; rename it`,
      ),
    );
  }
  if (draft.spec?.shareProcessNamespace === false) {
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
  const tmp = resolveTmpPlan(draft, profiled);
  if (tmp.kind === 'conflict') return err(conflict(tmp.detail));
  const timezone = resolveTimezonePlan(draft, config.options.mount_host_localtime);
  if (timezone.kind === 'none' && timezone.warning !== undefined) warnings.push(timezone.warning);
  const placement = resolveSidecarPlacement(
    config.options.sidecar_mode,
    draft,
    ctx.serverVersion,
    SIDECAR_NAME,
  );
  if (placement.warning !== undefined) warnings.push(placement.warning);
  return ok({ profiled, tmp, timezone, placement });
}

function addProfiler(
  draft: Pod,
  config: ProfilerConfig,
  request: Request,
  plan: Plan,
  warnings: string[],
): Outcome {
  const { profiled, tmp, timezone, placement } = plan;
  addVolumeIfAbsent(draft, buildEmptyDirVolume(WORKDIR_VOLUME_NAME));
  if (tmp.kind === 'new') addVolumeIfAbsent(draft, tmp.volume);
  if (timezone.kind === 'mount') addVolumeIfAbsent(draft, timezone.volume);
  const shared: SharedMounts = { workdir: { ...WORKDIR_MOUNT }, tmp: tmp.mount };
  const mounts: VolumeMount[] = [shared.workdir, tmp.mount];
  if (timezone.kind === 'mount') mounts.push(timezone.mount);
  addSidecar(draft, buildProfilerContainer(request.image, config, mounts), placement.placement);
  const spec = ensureSpec(draft);
  const hostPid = spec.hostPID === true;
  if (!hostPid) spec.shareProcessNamespace = true;
  for (const container of profiled) connectContainer(draft, container, shared, warnings);

  const where = placement.placement === 'native' ? 'a native sidecar' : 'a sidecar container';
  const detail =
    `${request.language} profiler ${request.image} as ${where} beside ${quoteNames(profiled)} ` +
    `(${request.decidedBy}; ${placement.reason}${hostPid ? "; hostPID: it sees the node's processes" : ''})`;
  return injected(FEATURE, request.reason, `${request.language}:${request.image}`, detail, warnings);
}

function inject(draft: Pod, ctx: MutationContext): Outcome {
  const config = ctx.config.admission_inject.profiler;
  const decision = resolveFeatureTarget(draft, FEATURE, ctx.namespace, {
    annotations: PROFILER_LANGUAGE_ROWS,
    labelSelectors: config.enabled_labelselectors,
    namespaces: config.enabled_namespaces,
  });
  if (decision.kind === 'skip') return outcomeSkip(decision.reason, decision.detail, decision.warning);

  const targets = resolveTargetContainers(draft);
  const warnings = [...targets.warnings];
  if (targets.containers.length === 0) {
    const detail = 'the pod has no container to profile';
    return outcomeSkip('no-target-containers', detail, warnings.length > 0 ? warnings.join('; ') : undefined);
  }
  const existing = findSidecar(draft, SIDECAR_NAME);
  if (existing)
    return completeEarlierInjection(draft, existing, targets.containers, decision.language, warnings);

  const image = replaceImageTag(
    profilerLanguageRow(decision.language).image(config.images),
    decision.tag ?? '',
  );
  const plan = resolvePlan(draft, ctx, config, targets.containers, warnings);
  if (!plan.ok) return plan.error;
  const request = { language: decision.language, image, reason: decision.reason, decidedBy: decision.detail };
  return addProfiler(draft, config, request, plan.value, warnings);
}

export const profilerInjector: Injector = { name: FEATURE, inject };
