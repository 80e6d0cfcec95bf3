// How replicas share task-election membership (SPEC §10.2, design in the README): one Lease whose
// annotation holds a section per replica — the members that replica saw, each with its AGE at publication.
// A reader adds the time since it first saw that section's sequence number on its own monotonic clock, so
// membership crosses replicas without comparing two nodes' wall clocks.
//
// Compact on purpose (a Lease's annotations are capped at 256 KiB): task sets are listed once per section
// and members point at them by index.

import { compareText, sortedNames, type TaskSet } from './task-set.ts';
import type { MemberView } from './task-members.ts';

export const MEMBERSHIP_FORMAT_VERSION = 1;

export interface MembershipSection {
  /** Bumped on every publication by the owning replica. */
  readonly seq: number;
  readonly members: readonly MemberView[];
}

export type MembershipDocument = ReadonlyMap<string, MembershipSection>;

type EncodedMember =
  readonly [string, number, number] | readonly [string, number, number, Readonly<Record<string, number>>];

interface EncodedSection {
  readonly seq: number;
  readonly sets: readonly Record<string, number>[];
  /** [id, age in ms, index into sets, answers per input (omitted when none)] */
  readonly members: readonly EncodedMember[];
}

export function encodeMembership(document: MembershipDocument): string {
  const replicas: Record<string, EncodedSection> = {};
  for (const replica of sortedNames(document.keys())) {
    const section = document.get(replica)!;
    const sets: Record<string, number>[] = [];
    const setIndex = new Map<string, number>();
    const members: EncodedMember[] = [];
    for (const member of [...section.members].sort((a, b) => compareText(a.id, b.id))) {
      const encoded = Object.fromEntries(
        sortedNames(member.tasks.keys()).map((name) => [name, member.tasks.get(name)!]),
      );
      const identity = JSON.stringify(encoded);
      let index = setIndex.get(identity);
      if (index === undefined) {
        index = sets.push(encoded) - 1;
        setIndex.set(identity, index);
      }
      const age = Math.max(0, Math.round(member.ageMs));
      // Replicas before answer counting read the first three elements only, so the format stays v1.
      members.push(
        member.answered.size === 0
          ? [member.id, age, index]
          : [member.id, age, index, Object.fromEntries(member.answered)],
      );
    }
    replicas[replica] = { seq: section.seq, sets, members };
  }
  return JSON.stringify({ v: MEMBERSHIP_FORMAT_VERSION, replicas });
}

/** Anything unreadable decodes to an empty document: a corrupt annotation must not stop the election. */
export function decodeMembership(text: string | undefined): MembershipDocument {
  const document = new Map<string, MembershipSection>();
  if (text === undefined || text === '') return document;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return document;
  }
  if (!isRecord(parsed) || parsed['v'] !== MEMBERSHIP_FORMAT_VERSION || !isRecord(parsed['replicas']))
    return document;
  for (const [replica, raw] of Object.entries(parsed['replicas'])) {
    const section = decodeSection(raw);
    if (section !== undefined) document.set(replica, section);
  }
  return document;
}

function decodeSection(raw: unknown): MembershipSection | undefined {
  if (
    !isRecord(raw) ||
    !Number.isInteger(raw['seq']) ||
    !Array.isArray(raw['sets']) ||
    !Array.isArray(raw['members'])
  ) {
    return undefined;
  }
  const sets: TaskSet[] = [];
  for (const set of raw['sets']) {
    if (!isRecord(set)) return undefined;
    const tasks = new Map<string, number>();
    for (const [name, weight] of Object.entries(set)) {
      if (typeof weight !== 'number' || !Number.isFinite(weight)) return undefined;
      tasks.set(name, weight);
    }
    sets.push(tasks);
  }
  const members: MemberView[] = [];
  for (const member of raw['members']) {
    if (!Array.isArray(member)) return undefined;
    const [id, ageMs, index, encodedAnswers] = member as unknown[];
    const tasks = typeof index === 'number' ? sets[index] : undefined;
    if (typeof id !== 'string' || typeof ageMs !== 'number' || tasks === undefined) return undefined;
    const answered = new Map<string, number>();
    if (isRecord(encodedAnswers)) {
      for (const [name, count] of Object.entries(encodedAnswers))
        if (typeof count === 'number' && Number.isFinite(count)) answered.set(name, count);
    }
    members.push({ id, ageMs, tasks, answered });
  }
  return { seq: raw['seq'] as number, members };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
