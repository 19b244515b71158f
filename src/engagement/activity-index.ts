import { dayNumber } from './module-calendar';
import type { CalendarFrame } from './teaching-weeks';
import { SOURCES, type DailyActivity, type Source } from './types';

export const SOURCE_COUNT = SOURCES.length;
/** Marks "never" in day-number arrays; every real day compares greater. */
export const NO_DAY = -2_147_483_648;

export const SOURCE_INDEX: Readonly<Record<Source, number>> = { vle: 0, launch: 1, assignment: 2, meeting: 3, recording: 4 };

/** Minutes are summed as whole seconds: integer sums are exact, so row order can never change a figure. */
export const SECONDS_PER_MINUTE = 60;

/**
 * Activity indexed once by member, week and source in flat typed arrays, so the rules read numbers and
 * never parse a date. Only period days up to `today` count towards weeks; last access also sees earlier days.
 */
export interface ActivityIndex {
  /** Days with activity are recorded for frame indices [0, gridDays). */
  gridDays: number;
  /** Weeks in the frame (the stride of the weekly arrays). */
  weekCount: number;
  /** [(member * weekCount + week) * SOURCE_COUNT + source]: summed counts. */
  weekCounts: Float64Array;
  /** Same layout: summed seconds. */
  weekSeconds: Float64Array;
  /** [member * gridDays + day]: bit (1 << source) set when that source had activity. */
  activeMask: Uint8Array;
  /** [member * SOURCE_COUNT + source]: day number of the last activity on or before today, or NO_DAY. */
  lastAccess: Int32Array;
}

export function gridDaysFor(frame: CalendarFrame, todayIndex: number): number {
  return Math.max(0, Math.min(frame.endIndex, todayIndex, frame.dayCount - 1) + 1);
}

export function indexActivity(
  rows: readonly DailyActivity[],
  memberIndex: ReadonlyMap<string, number>,
  frame: CalendarFrame,
  todayIndex: number,
): ActivityIndex {
  const gridDays = gridDaysFor(frame, todayIndex);
  const weekCount = frame.weeks.length;
  const memberCount = memberIndex.size;
  const weekCounts = new Float64Array(memberCount * weekCount * SOURCE_COUNT);
  const weekSeconds = new Float64Array(memberCount * weekCount * SOURCE_COUNT);
  const activeMask = new Uint8Array(memberCount * gridDays);
  const lastAccess = new Int32Array(memberCount * SOURCE_COUNT).fill(NO_DAY);
  const { origin, startIndex } = frame;
  const todayNumber = origin + todayIndex;
  const dayCache = new Map<string, number>();
  let lastMemberId: string | undefined;
  let m = -1;
  let lastDayKey: string | undefined;
  let day = 0;
  for (const row of rows) {
    // Rollups usually arrive grouped by member, so the map lookup is skipped for runs of the same member.
    if (row.memberId !== lastMemberId) {
      lastMemberId = row.memberId;
      m = memberIndex.get(row.memberId) ?? -1;
    }
    const s = SOURCE_INDEX[row.source];
    if (m < 0 || s === undefined) continue;
    const count = row.count > 0 ? row.count : 0;
    const seconds = row.minutes > 0 ? Math.round(row.minutes * SECONDS_PER_MINUTE) : 0;
    if (count === 0 && seconds === 0) continue;
    if (row.day !== lastDayKey) {
      lastDayKey = row.day;
      const known = dayCache.get(row.day);
      day = known ?? dayNumber(row.day);
      if (known === undefined) dayCache.set(row.day, day);
    }
    if (day > todayNumber) continue;
    const access = m * SOURCE_COUNT + s;
    if (day > (lastAccess[access] as number)) lastAccess[access] = day;
    const d = day - origin;
    if (d < startIndex || d >= gridDays) continue;
    const cell = (m * weekCount + ((d / 7) | 0)) * SOURCE_COUNT + s;
    weekCounts[cell] = (weekCounts[cell] as number) + count;
    weekSeconds[cell] = (weekSeconds[cell] as number) + seconds;
    activeMask[m * gridDays + d] = (activeMask[m * gridDays + d] as number) | (1 << s);
  }
  return { gridDays, weekCount, weekCounts, weekSeconds, activeMask, lastAccess };
}

/**
 * Last activity in any source of learning, as a day number or NO_DAY. Opening Waymark is not learning: a student who
 * only looks at their own panel every few days must still prompt a supportive contact (Queen Mary's policy asks that
 * the markers not be easy to game).
 */
export function lastLearningActivity(index: ActivityIndex, m: number): number {
  let last = NO_DAY;
  for (let s = 0; s < SOURCE_COUNT; s++) if (s !== SOURCE_INDEX.launch) last = Math.max(last, index.lastAccess[m * SOURCE_COUNT + s] as number);
  return last;
}

/** Sources anyone in the module has used, in SOURCES order (all of them when nobody has used any yet). */
export function usedSources(index: ActivityIndex): Source[] {
  const used = SOURCES.filter((_, s) => {
    for (let i = s; i < index.lastAccess.length; i += SOURCE_COUNT) if (index.lastAccess[i] !== NO_DAY) return true;
    return false;
  });
  return used.length > 0 ? used : [...SOURCES];
}
