import type { AlertThresholds } from './types';

/** Cohort figures for fewer than 3 people would point at individuals. */
export const SMALLEST_COHORT_SIZE = 3;

/** Defaults from the Nottingham policy ("more than 14 consecutive days") and our reading of its other rules. */
export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  noEngagementDays: 14,
  // Visa compliance asks sooner; the policy gives no figure, a week is what sponsors commonly check.
  visaNoEngagementDays: 7,
  persistentLowWeeks: 3,
  persistentLowWindow: 4,
  // OULAD AAA 2013J: 0.3 flagged fewer passers (72%) but also fewer withdrawals (60%), 0.5 more of both; kept.
  suddenDropRatio: 0.4,
  suddenDropBaselineWeeks: 4,
  // OULAD: most "drops" were whole-cohort dips (Christmas, the week after a deadline); allowing for them
  // cut passers ever flagged from 85% to 80% (withdrawals flagged 70% -> 66%).
  suddenDropAllowsForCohort: true,
  // Policy principle 4 (own study patterns): for a learner whose weeks swing, only a new low is a change.
  // OULAD: alerts per passing student 3.5 -> 2.7 with the same share of withdrawals flagged.
  suddenDropMustBeNewLow: true,
  minCohortSize: 5,
};

export function resolveThresholds(overrides: Partial<AlertThresholds> | undefined): AlertThresholds {
  return { ...DEFAULT_ALERT_THRESHOLDS, ...overrides };
}

function isWholeAtLeast(value: number, least: number): boolean {
  return Number.isInteger(value) && value >= least;
}

/** Problems with thresholds, each saying what to fix; empty when they are usable. */
export function checkAlertThresholds(t: AlertThresholds): string[] {
  const problems: string[] = [];
  if (!isWholeAtLeast(t.noEngagementDays, 1)) problems.push(`noEngagementDays ${t.noEngagementDays}: use a whole number of days, 1 or more (policy default 14).`);
  if (!isWholeAtLeast(t.visaNoEngagementDays, 1)) {
    problems.push(`visaNoEngagementDays ${t.visaNoEngagementDays}: use a whole number of days, 1 or more.`);
  } else if (t.visaNoEngagementDays > t.noEngagementDays) {
    problems.push(`visaNoEngagementDays ${t.visaNoEngagementDays} is more lenient than noEngagementDays ${t.noEngagementDays}: make it the same or fewer.`);
  }
  if (!isWholeAtLeast(t.persistentLowWindow, 1)) problems.push(`persistentLowWindow ${t.persistentLowWindow}: use a whole number of weeks, 1 or more.`);
  if (!isWholeAtLeast(t.persistentLowWeeks, 1) || t.persistentLowWeeks > t.persistentLowWindow) {
    problems.push(`persistentLowWeeks ${t.persistentLowWeeks}: use a whole number from 1 to persistentLowWindow (${t.persistentLowWindow}).`);
  }
  if (!(t.suddenDropRatio > 0 && t.suddenDropRatio < 1)) problems.push(`suddenDropRatio ${t.suddenDropRatio}: use a share between 0 and 1 (0.4 = below 40% of the usual level).`);
  if (!isWholeAtLeast(t.suddenDropBaselineWeeks, 1)) problems.push(`suddenDropBaselineWeeks ${t.suddenDropBaselineWeeks}: use a whole number of weeks, 1 or more.`);
  if (typeof t.suddenDropAllowsForCohort !== 'boolean') problems.push('suddenDropAllowsForCohort must be true or false.');
  if (typeof t.suddenDropMustBeNewLow !== 'boolean') problems.push('suddenDropMustBeNewLow must be true or false.');
  if (!isWholeAtLeast(t.minCohortSize, SMALLEST_COHORT_SIZE)) {
    problems.push(`minCohortSize ${t.minCohortSize}: use a whole number of ${SMALLEST_COHORT_SIZE} or more, so cohort figures never point at one or two students.`);
  }
  return problems;
}
