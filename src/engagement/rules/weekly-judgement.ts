import { coveredDaysBetween } from '../member-presence';
import { firstPeriodDayOfWeek, lastPeriodDayOfWeek } from '../module-model';
import type { RuleContext } from './rule-context';

export type ReferenceKind = 'module-minimum' | 'cohort-lower-quartile';

/** One complete teaching week as the level rules see it for one member. */
export interface JudgedWeek {
  weekIndex: number;
  level: number | null;
  /** The level the week is compared with; null when there is none (no minimum and cohort hidden). */
  reference: number | null;
  /** A known cause touched the week: a week with a known absence is not a fair measure of the rest of it. */
  excused: boolean;
  /** The cohort's median level that week; null when bands are hidden. */
  cohortMedian: number | null;
  /** The week can be judged: it has a level, a reference, and no known cause. */
  judged: boolean;
}

export function referenceKind(context: RuleContext): ReferenceKind {
  return context.model.markers.minimumLevel === null ? 'cohort-lower-quartile' : 'module-minimum';
}

/** The module minimum, or (when the module sets none) the cohort's lower quartile that week. */
export function referenceFor(context: RuleContext, w: number): number | null {
  const minimum = context.model.markers.minimumLevel;
  if (minimum !== null) return minimum;
  return context.bandsByWeek.get(w + 1)?.level?.lowerQuartile ?? null;
}

export function judgeWeeks(context: RuleContext, m: number): JudgedWeek[] {
  const { model, figures } = context;
  return context.judgeableWeeks.map((w) => {
    const raw = figures.levels[m * model.startedWeeks + w] as number;
    const level = Number.isNaN(raw) ? null : raw;
    const reference = referenceFor(context, w);
    const excused = coveredDaysBetween(model.presence, m, firstPeriodDayOfWeek(model, w), lastPeriodDayOfWeek(model, w)) > 0;
    const cohortMedian = context.bandsByWeek.get(w + 1)?.level?.median ?? null;
    return { weekIndex: w, level, reference, excused, cohortMedian, judged: level !== null && reference !== null && !excused };
  });
}

/**
 * Episodes stay one alert while the rule keeps holding: given whether the rule held at each week in
 * turn, the first week of the run that reaches the last one (or null when it does not hold now).
 */
export function currentRunStart(held: readonly boolean[]): number | null {
  if (held.length === 0 || !held[held.length - 1]) return null;
  let start = held.length - 1;
  while (start > 0 && held[start - 1]) start--;
  return start;
}
