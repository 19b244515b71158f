import { formatDay } from './module-calendar';
import type { ModuleModel } from './module-model';
import type { NoEngagementFinding } from './rules/no-engagement-rule';
import type { PersistentLowFinding } from './rules/persistent-low-rule';
import type { SuddenDropFinding } from './rules/sudden-drop-rule';
import type { JudgedWeek } from './rules/weekly-judgement';
import type { AlertEvidence, AlertFigures, SourceLabels, TeachingWeek } from './types';

/** Nottingham's systems by default; a module passes its own names through `sourceLabels`. */
export const DEFAULT_SOURCE_LABELS: SourceLabels = {
  vle: 'Moodle',
  launch: 'tool launches',
  assignment: 'assignments',
  meeting: 'Teams',
  recording: 'Echo360',
};

/** Figures keep one decimal: enough to check a sum, not so many that they look more exact than they are. */
const FIGURE_DECIMALS = 10;

function round(value: number): number {
  return Math.round(value * FIGURE_DECIMALS) / FIGURE_DECIMALS;
}

function percent(value: number | null): string {
  return value === null ? 'not measured' : `${Math.round(value)}%`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Moodle, Teams or Echo360". */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function weekName(week: TeachingWeek | undefined): string {
  if (!week) return 'a week';
  return `teaching week ${week.teachingNumber ?? week.number} (from ${formatDay(week.start)})`;
}

export function noEngagementEvidence(model: ModuleModel, finding: NoEngagementFinding): AlertEvidence {
  const { gap } = finding;
  const sources = listOr(model.sources.map((s) => model.labels[s]));
  const last = gap.lastActivity
    ? ` (last activity ${formatDay(gap.lastActivity)}, ${gap.lastSources.map((s) => model.labels[s]).join(' and ')})`
    : ' (none recorded in this module)';
  const cohort =
    finding.cohortMedianActiveDays === null
      ? 'the cohort is too small to compare with'
      : `the module's median learner was active on ${Math.round(finding.cohortMedianActiveDays)} of those days`;
  const skipped = [
    gap.nonTeachingDays > 0 ? plural(gap.nonTeachingDays, 'non-teaching day') : null,
    gap.knownCauseDays > 0 ? plural(gap.knownCauseDays, 'day') + ' with a known cause' : null,
  ].filter((part): part is string => part !== null);
  const text =
    `No activity in ${sources} since ${formatDay(gap.since)}${last}: ${plural(gap.countedDays, 'teaching day')} ` +
    `(more than ${finding.threshold}); ${cohort}.` +
    (skipped.length > 0 ? ` Not counted: ${skipped.join(' and ')}.` : '');
  return {
    text,
    figures: {
      teachingDaysWithoutActivity: gap.countedDays,
      threshold: finding.threshold,
      since: gap.since,
      lastActivity: gap.lastActivity,
      lastActivitySources: gap.lastSources.join(',') || null,
      nonTeachingDaysNotCounted: gap.nonTeachingDays,
      knownCauseDaysNotCounted: gap.knownCauseDays,
      cohortMedianActiveDays: finding.cohortMedianActiveDays === null ? null : round(finding.cohortMedianActiveDays),
      cohortSize: finding.cohortMedianActiveDays === null ? null : finding.cohortSize,
    },
  };
}

function weekFigures(model: ModuleModel, weeks: readonly JudgedWeek[], figures: AlertFigures): string[] {
  return weeks.map((judged) => {
    const week = model.frame.weeks[judged.weekIndex];
    const n = week?.teachingNumber ?? judged.weekIndex + 1;
    figures[`week${n}Level`] = judged.level === null ? null : round(judged.level);
    figures[`week${n}Reference`] = judged.reference === null ? null : round(judged.reference);
    if (judged.excused) return `week ${n}: known cause`;
    return `week ${n}: ${percent(judged.level)}` + (judged.reference !== null && model.markers.minimumLevel === null ? ` vs ${percent(judged.reference)}` : '');
  });
}

function referencePhrase(model: ModuleModel): string {
  const minimum = model.markers.minimumLevel;
  return minimum === null ? "the cohort's lower quartile" : `the module minimum of ${percent(minimum)}`;
}

export function persistentLowEvidence(model: ModuleModel, finding: PersistentLowFinding): AlertEvidence {
  const figures: AlertFigures = {
    lowWeeks: finding.lowWeeks,
    window: finding.window.length,
    required: model.thresholds.persistentLowWeeks,
    reference: finding.referenceKind,
    minimumLevel: model.markers.minimumLevel,
  };
  const weeks = weekFigures(model, finding.window, figures);
  const text =
    `Weekly engagement below ${referencePhrase(model)} in ${finding.lowWeeks} of the last ` +
    `${plural(finding.window.length, 'teaching week')} (${weeks.join('; ')}).`;
  return { text, figures };
}

export function suddenDropEvidence(model: ModuleModel, finding: SuddenDropFinding): AlertEvidence {
  const week = model.frame.weeks[finding.week.weekIndex];
  const first = model.frame.weeks[finding.baselineWeeks[0]?.weekIndex ?? 0];
  const last = model.frame.weeks[finding.baselineWeeks[finding.baselineWeeks.length - 1]?.weekIndex ?? 0];
  const span = first === last ? `teaching week ${first?.teachingNumber}` : `teaching weeks ${first?.teachingNumber}–${last?.teachingNumber}`;
  const cohort =
    finding.cohortMedian === null
      ? ''
      : `; the module's median learner was at ${percent(finding.cohortMedian)} that week` +
        (finding.cohortBaselineMedian === null ? '' : ` (${percent(finding.cohortBaselineMedian)} on average over the same earlier weeks)`);
  const bar = Math.round(finding.ratio * finding.cohortFactor * 100);
  const scaled = finding.cohortFactor < 1 ? `, lowered from ${Math.round(finding.ratio * 100)}% for the cohort's own dip` : '';
  const newLow = model.thresholds.suddenDropMustBeNewLow ? ' and lower than each of those weeks' : '';
  const text =
    `Engagement in ${weekName(week)} was ${percent(finding.week.level)}, down from an average of ${percent(finding.baseline)} ` +
    `over ${span}: below ${bar}% of that average${scaled}${newLow}; the average was itself at or above ${referencePhrase(model)}${cohort}.`;
  return {
    text,
    figures: {
      weekLevel: round(finding.week.level as number),
      baselineLevel: round(finding.baseline),
      baselineWeeks: finding.baselineWeeks.length,
      ratio: finding.ratio,
      baselineReference: round(finding.baselineReference),
      reference: finding.referenceKind,
      cohortFactor: Math.round(finding.cohortFactor * 100) / 100,
      cohortMedianLevel: finding.cohortMedian === null ? null : round(finding.cohortMedian),
      cohortBaselineMedianLevel: finding.cohortBaselineMedian === null ? null : round(finding.cohortBaselineMedian),
    },
  };
}

/** Visa-compliance staff see the same evidence, said to be about the visa check and which rule raised it. */
export function sponsoredVisaEvidence(basis: string, evidence: AlertEvidence): AlertEvidence {
  return { text: `Sponsored-visa engagement check (${basis}): ${evidence.text}`, figures: { basis, ...evidence.figures } };
}

// ---- explanations when an alert closes ----

/** The latest active day is quoted: with a nightly recomputation it is the day activity resumed. */
export function activityResumedExplanation(latestActiveDay: string): string {
  return `Activity resumed (latest on ${formatDay(latestActiveDay)}).`;
}

export function duplicateExplanation(): string {
  return 'Another open alert already covers this episode.';
}

export function gapNoLongerCountsExplanation(today: string): string {
  return `As of ${formatDay(today)} the days without activity no longer pass the threshold (a known cause, the calendar or the threshold changed).`;
}

export function levelRecoveredExplanation(rule: 'persistent low engagement' | 'a sudden drop', week: TeachingWeek | undefined, level: number | null): string {
  return `No longer ${rule}: ${weekName(week)} came in at ${percent(level)}.`;
}

export function levelRuleStoppedExplanation(rule: 'persistent low engagement' | 'a sudden drop', today: string): string {
  return `As of ${formatDay(today)} the weekly figures no longer show ${rule} (a known cause, a late submission or the settings changed).`;
}

export function memberLeftExplanation(status: string | null): string {
  return status === null ? 'No longer a member of this module.' : `The member is now ${status} in this module, so alerts no longer apply.`;
}
