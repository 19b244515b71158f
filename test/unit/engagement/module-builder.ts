// Literal timelines for the engagement tests: a 12-week autumn term and small builders for members and activity.
import { addDays, analyseModule } from '../../../src/engagement';
import type { DailyActivity, DayKey, MemberInfo, ModuleAnalysis, ModuleAnalysisInput, ModuleCalendar, ModuleMarkers, Source } from '../../../src/engagement';

/** Mon 29 Sep 2025 – Sun 21 Dec 2025: twelve Mon–Sun weeks, clocks go back on Sun 26 Oct. */
export const AUTUMN: ModuleCalendar = { timeZone: 'Europe/London', start: '2025-09-29', end: '2025-12-21', nonTeachingWeeks: [] };

export const READING_WEEK = { start: '2025-11-03', end: '2025-11-09', label: 'Reading week' };

export function learner(memberId: string, overrides: Partial<MemberInfo> = {}): MemberInfo {
  return { memberId, status: 'active', isLearner: true, sponsoredVisa: false, enrolledFrom: null, leftOn: null, ...overrides };
}

export function learners(count: number, prefix = 'l'): MemberInfo[] {
  return Array.from({ length: count }, (_, i) => learner(`${prefix}${String(i + 1).padStart(3, '0')}`));
}

/** Every day from `from` to `to` inclusive. */
export function daysFrom(from: DayKey, to: DayKey): DayKey[] {
  const days: DayKey[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

export function activeOn(memberId: string, days: readonly DayKey[], source: Source = 'vle', count = 5, minutes = 0): DailyActivity[] {
  return days.map((day) => ({ memberId, day, source, count, minutes }));
}

/** Active on `perWeek` days (Mon, Tue, …) of every week from `from` to `to`. */
export function weeklyPattern(memberId: string, from: DayKey, to: DayKey, perWeek: number, source: Source = 'vle'): DailyActivity[] {
  const days = daysFrom(from, to).filter((_, i) => i % 7 < perWeek);
  return activeOn(memberId, days, source);
}

/** Level = VLE active days / 5 of a full week; the module expects at least 50%. */
export const VLE_DAYS: ModuleMarkers = { markers: [{ indicator: 'vleActiveDays', weight: 1, weeklyTarget: 5 }], minimumLevel: 50 };

/** Active on the first n days of each week of AUTUMN, week by week (n = daysPerWeek[week - 1]). */
export function weeksOf(memberId: string, daysPerWeek: readonly number[], source: Source = 'vle'): DailyActivity[] {
  return daysPerWeek.flatMap((n, w) => {
    const monday = addDays(AUTUMN.start, w * 7);
    return activeOn(memberId, daysFrom(monday, addDays(monday, 6)).slice(0, n), source);
  });
}

export function analyse(input: Partial<ModuleAnalysisInput> & { today: DayKey }): ModuleAnalysis {
  return analyseModule({ calendar: AUTUMN, members: [], activity: [], assignments: [], submissions: [], knownCauses: [], ...input });
}

export function alertsOf(analysis: ModuleAnalysis, memberId: string, rule?: string) {
  return analysis.alerts.filter((alert) => alert.memberId === memberId && (rule === undefined || alert.rule === rule));
}

/** A small seeded PRNG (mulberry32) so property-style tests are repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
