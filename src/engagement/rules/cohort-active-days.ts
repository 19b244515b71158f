import { cohortOn } from '../cohort-bands';
import type { ModuleModel } from '../module-model';
import type { RuleContext } from './rule-context';

const MEDIAN = 0.5;

export type DaySegment = readonly [from: number, to: number];

interface ActiveDayCounter {
  /** [member * (gridDays + 1) + d]: active days among frame days [0, d). */
  prefix: Int32Array;
  medians: Map<string, { median: number | null; cohortSize: number }>;
}

/** The value at 0-based rank r of the values a histogram counts. */
function valueAtRank(histogram: Int32Array, rank: number): number {
  let seen = 0;
  for (let value = 0; value < histogram.length; value++) {
    seen += histogram[value] as number;
    if (seen > rank) return value;
  }
  return histogram.length - 1;
}

/** The median by the same rule as quantile() (interpolating at (n − 1) / 2). */
export function medianOfHistogram(histogram: Int32Array, n: number): number {
  const position = (n - 1) * MEDIAN;
  const below = Math.floor(position);
  const low = valueAtRank(histogram, below);
  return position === below ? low : low + (position - below) * (valueAtRank(histogram, below + 1) - low);
}

const counters = new WeakMap<RuleContext, ActiveDayCounter>();

function buildPrefix(model: ModuleModel): Int32Array {
  const { gridDays, activeMask } = model.activity;
  const stride = gridDays + 1;
  const prefix = new Int32Array(model.members.length * stride);
  for (let m = 0; m < model.members.length; m++) {
    for (let d = 0; d < gridDays; d++) {
      prefix[m * stride + d + 1] = (prefix[m * stride + d] as number) + ((activeMask[m * gridDays + d] as number) !== 0 ? 1 : 0);
    }
  }
  return prefix;
}

function counterFor(context: RuleContext): ActiveDayCounter {
  let counter = counters.get(context);
  if (!counter) {
    counter = { prefix: buildPrefix(context.model), medians: new Map() };
    counters.set(context, counter);
  }
  return counter;
}

/**
 * On how many of the given days the module's median active learner (enrolled by the first of them) was
 * active; null when that cohort is too small to show. Built lazily: most runs raise few such alerts.
 */
export function cohortMedianActiveDays(context: RuleContext, segments: readonly DaySegment[]): { median: number | null; cohortSize: number } {
  const first = segments[0];
  if (!first) return { median: null, cohortSize: 0 };
  const counter = counterFor(context);
  const key = segments.map(([from, to]) => `${from}-${to}`).join(',');
  const known = counter.medians.get(key);
  if (known) return known;
  const stride = context.model.activity.gridDays + 1;
  const cohort = cohortOn(context.model, first[0]);
  const { prefix } = counter;
  const dayTotal = segments.reduce((sum, [from, to]) => sum + to - from + 1, 0);
  // Counts of active days are small whole numbers, so a histogram finds the median without sorting.
  const histogram = new Int32Array(dayTotal + 1);
  const bounds = Int32Array.from(segments.flat());
  for (let k = 0; k < cohort.length; k++) {
    const base = (cohort[k] as number) * stride;
    let active = 0;
    for (let b = 0; b < bounds.length; b += 2) active += (prefix[base + (bounds[b + 1] as number) + 1] as number) - (prefix[base + (bounds[b] as number)] as number);
    histogram[active] = (histogram[active] as number) + 1;
  }
  const median = cohort.length < context.model.thresholds.minCohortSize ? null : medianOfHistogram(histogram, cohort.length);
  const result = { median, cohortSize: cohort.length };
  counter.medians.set(key, result);
  return result;
}
