import { INDICATOR_COUNT } from './member-indicators';
import { firstPeriodDayOfWeek, type ModuleModel, type WeeklyFigures } from './module-model';
import { INDICATORS, type Band, type CohortBands, type IndicatorName, type WeekBands } from './types';

const LOWER_QUARTILE = 0.25;
const MEDIAN = 0.5;
const UPPER_QUARTILE = 0.75;

/**
 * The p-quantile of ascending values by linear interpolation between order statistics at position
 * (n − 1)·p (Hyndman & Fan type 7, the default of numpy, R and Excel's QUARTILE.INC); null when empty.
 */
export function quantile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = (n - 1) * p;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, n - 1)] as number;
  return low + (position - below) * (high - low);
}

/** Median and quartiles of a group, or null when it is too small to stay anonymous. */
export function bandOf(values: ArrayLike<number>, minCohortSize: number): Band | null {
  return bandSortingInPlace(Float64Array.from(values), minCohortSize);
}

/** bandOf for a scratch column the caller no longer needs in its order (saves a copy per column). */
function bandSortingInPlace(column: Float64Array, minCohortSize: number): Band | null {
  if (column.length < minCohortSize) return null;
  const sorted = column.sort();
  return {
    n: sorted.length,
    lowerQuartile: quantile(sorted, LOWER_QUARTILE) as number,
    median: quantile(sorted, MEDIAN) as number,
    upperQuartile: quantile(sorted, UPPER_QUARTILE) as number,
  };
}

interface CohortMemo {
  /** Active learners, whatever their dates. */
  eligible: Int32Array;
  byDay: Map<number, number[]>;
}

const cohortMemos = new WeakMap<ModuleModel, CohortMemo>();

function cohortMemo(model: ModuleModel): CohortMemo {
  let memo = cohortMemos.get(model);
  if (!memo) {
    const eligible: number[] = [];
    model.members.forEach((member, m) => {
      if (member.isLearner && member.status === 'active') eligible.push(m);
    });
    cohortMemos.set(model, (memo = { eligible: Int32Array.from(eligible), byDay: new Map() }));
  }
  return memo;
}

/**
 * The cohort on frame day d: learners whose status is active, who had joined by d and not left
 * (memoised: rules ask for the same days often).
 */
export function cohortOn(model: ModuleModel, d: number): number[] {
  const memo = cohortMemo(model);
  let cohort = memo.byDay.get(d);
  if (!cohort) {
    cohort = [];
    const { enrolIndex, leftIndex } = model.presence;
    for (const m of memo.eligible) if ((enrolIndex[m] as number) <= d && d < (leftIndex[m] as number)) cohort.push(m);
    memo.byDay.set(d, cohort);
  }
  return cohort;
}

function weekBands(model: ModuleModel, figures: WeeklyFigures, w: number): WeekBands {
  const cohort = cohortOn(model, firstPeriodDayOfWeek(model, w));
  const min = model.thresholds.minCohortSize;
  const indicators = {} as Record<IndicatorName, Band | null>;
  const column = new Float64Array(cohort.length);
  const stride = INDICATOR_COUNT;
  const { startedWeeks } = model;
  INDICATORS.forEach((name, i) => {
    for (let k = 0; k < cohort.length; k++) column[k] = figures.values[((cohort[k] as number) * startedWeeks + w) * stride + i] as number;
    indicators[name] = bandSortingInPlace(column, min);
  });
  const levels = cohort.map((m) => figures.levels[m * model.startedWeeks + w] as number).filter((level) => !Number.isNaN(level));
  return { weekNumber: w + 1, cohortSize: cohort.length, level: bandOf(levels, min), indicators };
}

/**
 * Cohort median and quartiles per started teaching week, over active learners enrolled by the week's
 * first day; null when the module has fewer active learners than minCohortSize.
 */
export function cohortBands(model: ModuleModel, figures: WeeklyFigures): CohortBands | null {
  const cohortSize = cohortOn(model, Math.max(model.frame.startIndex, model.todayIndex)).length;
  if (cohortSize < model.thresholds.minCohortSize) return null;
  const weeks: WeekBands[] = [];
  for (let w = 0; w < model.startedWeeks; w++) {
    if (model.frame.weeks[w]?.teaching) weeks.push(weekBands(model, figures, w));
  }
  return { minCohortSize: model.thresholds.minCohortSize, cohortSize, weeks };
}
