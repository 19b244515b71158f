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
  cohortMedian: number | null;
}

interface DropCheck {
  held: boolean;
  baseline: number;
  baselineReference: number;
}

const NOT_HELD: DropCheck = { held: false, baseline: 0, baselineReference: 0 };

/**
 * Week j dropped below `ratio` of the member's average over the previous `baselineWeeks` complete teaching
 * weeks, and that average itself reached the reference: a fall from an already-low level is the
 * persistent-low rule's business. Every week involved must be judged, or there is not enough data.
 */
function checkDrop(weeks: readonly JudgedWeek[], j: number, baselineWeeks: number, ratio: number, useMinimum: boolean): DropCheck {
  const week = weeks[j];
  if (!week?.judged || j < baselineWeeks) return NOT_HELD;
  const baseline = weeks.slice(j - baselineWeeks, j);
  if (!baseline.every((b) => b.judged)) return NOT_HELD;
  const average = baseline.reduce((sum, b) => sum + (b.level as number), 0) / baselineWeeks;
  const reference = useMinimum
    ? (baseline[0]?.reference as number)
    : baseline.reduce((sum, b) => sum + (b.reference as number), 0) / baselineWeeks;
  return { held: average >= reference && (week.level as number) < ratio * average, baseline: average, baselineReference: reference };
}

export function suddenDropFinding(context: RuleContext, weeks: readonly JudgedWeek[]): SuddenDropFinding | null {
  const { suddenDropBaselineWeeks, suddenDropRatio } = context.model.thresholds;
  const useMinimum = context.model.markers.minimumLevel !== null;
  const checks = weeks.map((_, j) => checkDrop(weeks, j, suddenDropBaselineWeeks, suddenDropRatio, useMinimum));
  const runStart = currentRunStart(checks.map((c) => c.held));
  if (runStart === null) return null;
  const last = weeks.length - 1;
  const week = weeks[last] as JudgedWeek;
  const check = checks[last] as DropCheck;
  return {
    firstDropWeek: (weeks[runStart] as JudgedWeek).weekIndex,
    week,
    baselineWeeks: weeks.slice(last - suddenDropBaselineWeeks, last),
    baseline: check.baseline,
    baselineReference: check.baselineReference,
    referenceKind: referenceKind(context),
    ratio: suddenDropRatio,
    cohortMedian: context.bandsByWeek.get(week.weekIndex + 1)?.level?.median ?? null,
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
