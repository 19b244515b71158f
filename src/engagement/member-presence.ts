import { dayNumber } from './module-calendar';
import type { CalendarFrame } from './teaching-weeks';
import type { KnownCause, MemberInfo } from './types';

const NEVER = 2_147_483_647;
const ALWAYS = -2_147_483_648;

/** When each member belongs to the module, and which of their days a known cause covers, as frame indices. */
export interface MemberPresence {
  /** First frame index the member belongs (ALWAYS when no enrolment day is known). */
  enrolIndex: Int32Array;
  /** First frame index the member no longer belongs (NEVER when they have not left). */
  leftIndex: Int32Array;
  /** Per member with known causes: 1 for each frame day covered. */
  covered: Map<number, Uint8Array>;
}

export function buildPresence(
  members: readonly MemberInfo[],
  memberIndex: ReadonlyMap<string, number>,
  knownCauses: readonly KnownCause[],
  frame: CalendarFrame,
): MemberPresence {
  const enrolIndex = new Int32Array(members.length);
  const leftIndex = new Int32Array(members.length);
  members.forEach((member, m) => {
    enrolIndex[m] = member.enrolledFrom ? dayNumber(member.enrolledFrom) - frame.origin : ALWAYS;
    leftIndex[m] = member.leftOn ? dayNumber(member.leftOn) - frame.origin : NEVER;
  });
  const covered = new Map<number, Uint8Array>();
  for (const cause of knownCauses) {
    const m = memberIndex.get(cause.memberId);
    if (m === undefined) continue;
    const from = Math.max(0, dayNumber(cause.from) - frame.origin);
    const to = Math.min(frame.dayCount - 1, dayNumber(cause.to) - frame.origin);
    if (from > to) continue;
    let days = covered.get(m);
    if (!days) {
      days = new Uint8Array(frame.dayCount);
      covered.set(m, days);
    }
    days.fill(1, from, to + 1);
  }
  return { enrolIndex, leftIndex, covered };
}

export function isCovered(presence: MemberPresence, m: number, d: number): boolean {
  return presence.covered.get(m)?.[d] === 1;
}

/** Known-cause days of the member within [from, to]. */
export function coveredDaysBetween(presence: MemberPresence, m: number, from: number, to: number): number {
  const days = presence.covered.get(m);
  if (!days) return 0;
  let total = 0;
  for (let d = Math.max(0, from); d <= to && d < days.length; d++) total += days[d] as number;
  return total;
}
