import { suddenDropEvidence } from '../alert-evidence';
import type { AlertCandidate } from '../types';
import type { RuleContext } from './rule-context';
import { currentRunStart, referenceKind, type JudgedWeek, type ReferenceKind } from './weekly-judgement';

export interface SuddenDropFinding {
  /** Week index of the first dropped week of the episode. */
  firstDropWeek: number;
  /** The last complete teaching week and the weeks before it that make the baseline. */
  week: JudgedWeek;
  baselineWeeks: JudgedWeek[];
  baseline: number;
  /** The level the baseline had to reach for a drop to mean something. */
  baselineReference: number;
  referenceKind: ReferenceKind;
  ratio: number;
  /** The cohort's own change (its median this week over its median in the baseline weeks), capped at 1; 1 when not allowed for. */
  cohortFactor: number;
  cohortMedian: number | null;
  cohortBaselineMedian: number | null;
}

interface DropCheck {
  held: boolean;
  baseline: number;
  baselineReference: number;
  cohortFactor: number;
  cohortBaselineMedian: number | null;
}

const NOT_HELD: DropCheck = { held: false, baseline: 0, baselineReference: 0, cohortFactor: 1, cohortBaselineMedian: null };

/** Mean of one field over weeks [from, to) (the caller has checked every value is a number). */
function meanOf(weeks: readonly JudgedWeek[], from: number, to: number, field: 'level' | 'reference' | 'cohortMedian'): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (weeks[i] as JudgedWeek)[field] as number;
  return sum / (to - from);
}

/**
 * How much of a drop the whole cohort shared: its median this week over its median in the baseline
 * weeks, at most 1 (a cohort on the rise never makes the rule stricter than the policy's ratio).
 */
function cohortChange(weeks: readonly JudgedWeek[], j: number, from: number): { factor: number; baselineMedian: number | null } {
  const now = (weeks[j] as JudgedWeek).cohortMedian;
  for (let i = from; i < j; i++) if ((weeks[i] as JudgedWeek).cohortMedian === null) return { factor: 1, baselineMedian: null };
  if (now === null) return { factor: 1, baselineMedian: null };
  const baselineMedian = meanOf(weeks, from, j, 'cohortMedian');
  return { factor: baselineMedian > 0 ? Math.min(1, now / baselineMedian) : 1, baselineMedian };
}

interface DropSettings {
  baselineWeeks: number;
  ratio: number;
  useMinimum: boolean;
  allowForCohort: boolean;
  mustBeNewLow: boolean;
}

/**
 * Week j dropped below `ratio` of the member's average over the previous `baselineWeeks` complete teaching
 * weeks, and that average itself reached the reference: a fall from an already-low level is the
 * persistent-low rule's business. Every week involved must be judged, or there is not enough data.
 * Optionally the week must also be lower than each baseline week and the ratio is scaled by the cohort's dip.
 */
function checkDrop(weeks: readonly JudgedWeek[], j: number, settings: DropSettings): DropCheck {
  const week = weeks[j];
  const from = j - settings.baselineWeeks;
  if (!week?.judged || from < 0) return NOT_HELD;
  for (let i = from; i < j; i++) if (!(weeks[i] as JudgedWeek).judged) return NOT_HELD;
  const level = week.level as number;
  const average = meanOf(weeks, from, j, 'level');
  const reference = settings.useMinimum ? ((weeks[from] as JudgedWeek).reference as number) : meanOf(weeks, from, j, 'reference');
  // A week the whole cohort went quiet (a holiday, the week after a deadline) is not a personal drop.
  const cohort = settings.allowForCohort ? cohortChange(weeks, j, from) : { factor: 1, baselineMedian: null };
  // A learner whose weeks swing widely already had weeks this low: only a new low is a change for them.
  let newLow = true;
  if (settings.mustBeNewLow) for (let i = from; i < j; i++) if (level >= ((weeks[i] as JudgedWeek).level as number)) newLow = false;
  return {
    held: average >= reference && level < settings.ratio * cohort.factor * average && newLow,
    baseline: average,
    baselineReference: reference,
    cohortFactor: cohort.factor,
    cohortBaselineMedian: cohort.baselineMedian,
  };
}

export function suddenDropFinding(context: RuleContext, weeks: readonly JudgedWeek[]): SuddenDropFinding | null {
  const { thresholds, markers } = context.model;
  const settings: DropSettings = {
    baselineWeeks: thresholds.suddenDropBaselineWeeks,
    ratio: thresholds.suddenDropRatio,
    useMinimum: markers.minimumLevel !== null,
    allowForCohort: thresholds.suddenDropAllowsForCohort,
    mustBeNewLow: thresholds.suddenDropMustBeNewLow,
  };
  const checks = weeks.map((_, j) => checkDrop(weeks, j, settings));
  const runStart = currentRunStart(checks.map((c) => c.held));
  if (runStart === null) return null;
  const last = weeks.length - 1;
  const week = weeks[last] as JudgedWeek;
  const check = checks[last] as DropCheck;
  return {
    firstDropWeek: (weeks[runStart] as JudgedWeek).weekIndex,
    week,
    baselineWeeks: weeks.slice(last - settings.baselineWeeks, last),
    baseline: check.baseline,
    baselineReference: check.baselineReference,
    referenceKind: referenceKind(context),
    ratio: settings.ratio,
    cohortFactor: check.cohortFactor,
    cohortMedian: week.cohortMedian,
    cohortBaselineMedian: check.cohortBaselineMedian,
  };
}

export function suddenDropAlert(context: RuleContext, m: number, finding: SuddenDropFinding): AlertCandidate {
  const since = context.model.frame.weeks[finding.firstDropWeek]!.start;
  return {
    memberId: context.model.members[m]!.memberId,
    rule: 'suddenDrop',
    audience: 'staff',
    key: `sudden-drop/${since}`,
    since,
    evidence: suddenDropEvidence(context.model, finding),
  };
}
