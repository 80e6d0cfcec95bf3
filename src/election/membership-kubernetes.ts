// Task-election membership shared between replicas through one Lease (design in the README and in
// task-membership-codec.ts). Each replica owns one section of the Lease's annotation and rewrites it with
// compare-and-swap: at once when its own membership changes, and every PUBLISH_INTERVAL_MS while it has
// members so their ages stay fresh. It reads the other sections from a watch.

import type { Logger } from 'pino';
import { KubeConflictError, type LeaseClient, type LeaseObject, type LeaseWatch } from '../kube/leases.ts';
import type { Clock } from './clock.ts';
import {
  MAX_CAS_RETRIES,
  TASK_LIVENESS_MS,
  TASK_MEMBERSHIP_ANNOTATION,
  TASK_MEMBERSHIP_LABEL_KEY,
  TASK_MEMBERSHIP_LEASE_NAME,
} from './constants.ts';
import { LeaseObservations } from './lease-observations.ts';
import type { ElectionMetrics } from './metrics.ts';
import type { PeerMembership } from './task-election.ts';
import type { MemberView } from './task-members.ts';
import {
  decodeMembership,
  encodeMembership,
  type MembershipDocument,
  type MembershipSection,
} from './task-membership-codec.ts';

export const MEMBERSHIP_LEASE_SELECTOR = `metadata.name=${TASK_MEMBERSHIP_LEASE_NAME}`;

/** Well inside the 10 s liveness window, so a member that keeps polling never looks stale elsewhere. */
export const PUBLISH_INTERVAL_MS = 2_000;
/** A section whose sequence has not moved for this long belongs to a replica that is gone: drop it. */
const ABANDONED_SECTION_MS = 6 * TASK_LIVENESS_MS;
/** Batch the changes of a burst of polls into one write. */
const PUBLISH_DEBOUNCE_MS = 50;

export interface MembershipExchangeDeps {
  readonly client: LeaseClient;
  /** A watch selecting MEMBERSHIP_LEASE_SELECTOR in the operator namespace. */
  readonly watch: LeaseWatch;
  /** Unique per process: a restarted replica starts a new section. */
  readonly replicaId: string;
  readonly clock: Clock;
  /** This replica's live members (TaskElection.localMembers). */
  readonly localMembers: () => readonly MemberView[];
  readonly metrics: ElectionMetrics;
  readonly logger: Logger;
  readonly publishIntervalMs?: number;
}

export class KubernetesMembershipExchange implements PeerMembership {
  readonly #deps: MembershipExchangeDeps;
  /** When this replica first saw each (section, seq): the base of every peer member's age. */
  readonly #sections = new LeaseObservations(ABANDONED_SECTION_MS * 2);
  #seq = 0;
  /** The last decoded membership Lease: every poll reads it, it changes every few seconds. */
  #decoded: { readonly resourceVersion: string; readonly document: MembershipDocument } | undefined;
  #publishedMembers = 0;
  #running = false;
  #publishing: Promise<void> | undefined;
  #again = false;
  #debounce: NodeJS.Timeout | undefined;
  #ticker: NodeJS.Timeout | undefined;

  constructor(deps: MembershipExchangeDeps) {
    this.#deps = deps;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#deps.watch.start();
    this.#ticker = setInterval(() => this.#tick(), this.#deps.publishIntervalMs ?? PUBLISH_INTERVAL_MS);
    this.#ticker.unref();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearInterval(this.#ticker);
    clearTimeout(this.#debounce);
    await this.#publishing;
    await this.#deps.watch.stop();
  }

  /** Publish soon (debounced): this replica's membership changed. */
  requestPublish(): void {
    if (!this.#running || this.#debounce !== undefined) return;
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined;
      void this.publishNow();
    }, PUBLISH_DEBOUNCE_MS);
    this.#debounce.unref();
  }

  revision(): string {
    return this.#deps.watch.get(TASK_MEMBERSHIP_LEASE_NAME)?.resourceVersion ?? '';
  }

  peerMembers(nowMs: number): readonly MemberView[] {
    const live: MemberView[] = [];
    for (const [replica, section] of this.#watchedDocument()) {
      if (replica === this.#deps.replicaId) continue;
      const sinceSeen = nowMs - this.#firstSeenMs(replica, section, nowMs);
      for (const member of section.members) {
        const ageMs = member.ageMs + sinceSeen;
        if (ageMs < TASK_LIVENESS_MS) live.push({ ...member, ageMs });
      }
    }
    return live;
  }

  /** Writes this replica's section now (one write at a time; a request during a write runs once more after it). */
  publishNow(): Promise<void> {
    if (this.#publishing !== undefined) {
      this.#again = true;
      return this.#publishing;
    }
    this.#publishing = (async () => {
      do {
        this.#again = false;
        await this.#publishOnce();
      } while (this.#again && this.#running);
    })().finally(() => {
      this.#publishing = undefined;
    });
    return this.#publishing;
  }

  #watchedDocument(): MembershipDocument {
    const lease = this.#deps.watch.get(TASK_MEMBERSHIP_LEASE_NAME);
    if (lease === undefined) return new Map();
    if (this.#decoded?.resourceVersion !== lease.resourceVersion) {
      const document = decodeMembership(lease.annotations[TASK_MEMBERSHIP_ANNOTATION]);
      this.#decoded = { resourceVersion: lease.resourceVersion, document };
    }
    return this.#decoded.document;
  }

  #tick(): void {
    // Quiet replicas stay quiet: no members now and none published means nothing to refresh.
    if (this.#deps.localMembers().length > 0 || this.#publishedMembers > 0) void this.publishNow();
  }

  async #publishOnce(): Promise<void> {
    const { client, watch, clock, metrics, logger } = this.#deps;
    let current: LeaseObject | undefined = watch.get(TASK_MEMBERSHIP_LEASE_NAME);
    for (let writes = 0; writes <= MAX_CAS_RETRIES; writes++) {
      const members = this.#deps.localMembers();
      const content = this.#buildContent(current, members, clock.monotonicMs());
      try {
        current =
          current === undefined
            ? await client.create(content)
            : await client.replace(content, current.resourceVersion);
        this.#publishedMembers = members.length;
        return;
      } catch (error) {
        if (!(error instanceof KubeConflictError)) {
          metrics.recordStorageError('publish');
          logger.error(
            { err: error },
            "task election: cannot publish this replica's members; retrying at the next tick",
          );
          return;
        }
        metrics.recordCasConflict('publish');
        try {
          current = await client.read(TASK_MEMBERSHIP_LEASE_NAME);
        } catch (readError) {
          metrics.recordStorageError('publish');
          logger.error(
            { err: readError },
            'task election: cannot read the membership Lease; retrying at the next tick',
          );
          return;
        }
      }
    }
    logger.warn('task election: membership publication kept conflicting; retrying at the next tick');
  }

  #buildContent(current: LeaseObject | undefined, members: readonly MemberView[], nowMs: number) {
    const document = new Map(decodeMembership(current?.annotations[TASK_MEMBERSHIP_ANNOTATION]));
    for (const [replica, section] of document) {
      if (
        replica !== this.#deps.replicaId &&
        nowMs - this.#firstSeenMs(replica, section, nowMs) > ABANDONED_SECTION_MS
      ) {
        document.delete(replica);
      }
    }
    this.#seq += 1;
    document.set(this.#deps.replicaId, { seq: this.#seq, members });
    const now = this.#deps.clock.now();
    return {
      name: TASK_MEMBERSHIP_LEASE_NAME,
      labels: { [TASK_MEMBERSHIP_LABEL_KEY]: 'true' },
      annotations: { ...current?.annotations, [TASK_MEMBERSHIP_ANNOTATION]: encodeMembership(document) },
      holderIdentity: this.#deps.replicaId,
      leaseDurationSeconds: TASK_LIVENESS_MS / 1000,
      leaseTransitions: 0,
      acquireTime: current?.acquireTime ?? now,
      renewTime: now,
    };
  }

  #firstSeenMs(replica: string, section: MembershipSection, nowMs: number): number {
    return this.#sections.firstSeenMs({ name: replica, resourceVersion: String(section.seq) }, nowMs);
  }
}
