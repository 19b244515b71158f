import { INDICATORS, type IndicatorName, type ModuleMarkers } from './types';

/** A level is a percentage. */
export const MAX_LEVEL = 100;

/**
 * Used when a module has chosen no markers. VLE active days carry most weight because they are the one
 * source every module has, and days (3 a week = a steady pattern) resist click-gaming better than clicks
 * (QMUL asks us to minimise gaming). Submitting the work due that week counts next; a scheduled meeting
 * and one recording count once each. A marker whose source nobody in the module used that week drops out,
 * so a module without Teams or Echo360 is not marked down for them. No minimum is set by default: the
 * persistent-low rule then compares with the cohort's lower quartile. In the OULAD replay
 * (scripts/eval/oulad-eval.ts, AAA 2013J) that flagged the same 66% of later withdrawals as a fixed
 * minimum of 30, 40 or 50%, with fewer alerts per passing student (2.7 against 2.9–3.5), and it adapts
 * to modules whose normal weekly pattern we cannot know in advance.
 */
export const DEFAULT_MARKERS: ModuleMarkers = {
  markers: [
    { indicator: 'vleActiveDays', weight: 3, weeklyTarget: 3 },
    { indicator: 'assignmentsSubmitted', weight: 2, weeklyTarget: 1 },
    { indicator: 'meetingsAttended', weight: 1, weeklyTarget: 1 },
    { indicator: 'recordingsViewed', weight: 1, weeklyTarget: 1 },
  ],
  minimumLevel: null,
};

/** assignmentsSubmitted's target is a share of the work due that week, so it cannot exceed all of it. */
const MAX_ASSIGNMENT_SHARE = 1;

/** Problems with a module's markers, each saying what to fix; empty when they are usable. */
export function checkModuleMarkers(markers: ModuleMarkers): string[] {
  const problems: string[] = [];
  if (markers.markers.length === 0) problems.push('markers is empty: choose at least one marker, or leave markers unset to use the defaults.');
  const seen = new Set<IndicatorName>();
  for (const marker of markers.markers) {
    if (!INDICATORS.includes(marker.indicator)) {
      problems.push(`marker "${String(marker.indicator)}" is not an indicator: use one of ${INDICATORS.join(', ')}.`);
      continue;
    }
    if (seen.has(marker.indicator)) problems.push(`marker ${marker.indicator} is listed twice: list each indicator once.`);
    seen.add(marker.indicator);
    if (!(Number.isFinite(marker.weight) && marker.weight > 0)) {
      problems.push(`marker ${marker.indicator} has weight ${marker.weight}: use a number above 0 (remove the marker to ignore it).`);
    }
    if (!(Number.isFinite(marker.weeklyTarget) && marker.weeklyTarget > 0)) {
      problems.push(`marker ${marker.indicator} has weeklyTarget ${marker.weeklyTarget}: use a number above 0.`);
    } else if (marker.indicator === 'assignmentsSubmitted' && marker.weeklyTarget > MAX_ASSIGNMENT_SHARE) {
      problems.push(`marker assignmentsSubmitted has weeklyTarget ${marker.weeklyTarget}: it is the share of that week's due work, so use a number up to 1.`);
    }
  }
  const minimum = markers.minimumLevel;
  if (minimum !== null && !(Number.isFinite(minimum) && minimum >= 0 && minimum <= MAX_LEVEL)) {
    problems.push(`minimumLevel ${minimum} must be between 0 and ${MAX_LEVEL}, or null when the module sets no minimum.`);
  }
  return problems;
}
