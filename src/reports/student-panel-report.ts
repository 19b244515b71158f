import { DateTime } from 'luxon';
import { SOURCES, type AssignmentState, type Band, type IndicatorName, type Source } from '../engagement';
import { listDataReports, type DataReport } from '../store/data-report-repository';
import { listMemberEvents } from '../store/event-repository';
import { getModuleSettings } from '../store/module-settings-repository';
import type { Member, Module } from '../store/types';
import { formatDayLong, handedInText } from './display-format';
import { memberChart, type ChartView } from './chart-view';
import { explainMeasures, type MeasuresExplanation } from './student-measures-explanation';
import { explainContactPrompts } from './student-contact-explanation';
import { loadStudentAnalysis, type StudentAnalysis } from './student-module-analysis';

// The student's own panel: their figures, the anonymised cohort band, and what the module expects. It never
// carries alerts, interventions, staff notes or the sponsored-visa flag, and no other member's figures.

export const STUDENT_SOURCE_LABELS: Record<Source, string> = {
  vle: 'Moodle',
  launch: 'Waymark',
  assignment: 'Assignments',
  meeting: 'Online sessions (Teams)',
  recording: 'Lecture recordings (Echo360)',
};

/** What a student may say is wrong; "other" is stored without a source. */
export const REPORTABLE_SOURCES = [...(Object.keys(STUDENT_SOURCE_LABELS) as Source[]), 'other'] as const;
export type ReportableSource = (typeof REPORTABLE_SOURCES)[number];

const STATE_LABELS: Record<AssignmentState, string> = {
  submitted: 'Handed in',
  late: 'Handed in after the due date',
  missing: 'Not handed in',
  pending: 'Not due yet',
};

const REPORT_STATUS_LABELS: Record<DataReport['status'], string> = {
  new: 'Sent to the module staff',
  seen: 'Seen by the module staff',
  resolved: 'Looked into and closed',
};

const INDICATOR_COLUMNS: Record<IndicatorName, string> = {
  vleActiveDays: 'Days on Moodle',
  vleClicks: 'Moodle items opened',
  launches: 'Waymark opened',
  assignmentsSubmitted: 'Work handed in',
  meetingsAttended: 'Online sessions',
  meetingMinutes: 'Minutes in sessions',
  recordingsViewed: 'Recordings watched',
  recordingMinutes: 'Minutes of recordings',
  activeDays: 'Days with any activity',
};

const LEVEL_CHART = { id: 'own-level', title: 'Your engagement level per week', yLabel: 'Engagement level (%)', measure: { level: true as const }, unit: '' };
const DEFAULT_CONTACT = 'your module convenor or your personal tutor';
const LAUNCHES_LISTED = 10;

export interface PanelWeek {
  number: number;
  label: string;
  dates: string;
  teaching: boolean;
  level: number | null;
  band: { lowerQuartile: number; median: number; upperQuartile: number } | null;
  note: string;
  values: Array<{ label: string; value: number }>;
}

export interface StudentPanelView {
  moduleTitle: string;
  asOf: string;
  period: string;
  weeks: PanelWeek[];
  valueColumns: string[];
  bandShown: boolean;
  bandNote: string;
  /** Drawn by the shared engagement chart; the weekly table that follows it carries its figures for screen readers. */
  chart: ChartView | null;
  lastAccess: Array<{ source: string; day: string }>;
  assignments: {
    expected: number;
    submitted: number;
    rows: Array<{ title: string; dueAt: string | null; state: string; submittedAt: string | null; handedIn: string }>;
  };
  expectationsText: string;
  minimumLevel: number | null;
  measures: MeasuresExplanation;
  /** When staff may get in touch, with this module's thresholds. */
  contactPrompts: string[];
  contactText: string;
  launches: Array<{ at: Date }>;
  reports: Array<{ createdAt: Date; source: string; text: string; status: string }>;
  sourceOptions: Array<{ value: ReportableSource; label: string }>;
}

const whole = (n: number) => Math.round(n);

function shortDay(day: string): string {
  return DateTime.fromISO(day).toFormat('d LLL');
}

function longDay(day: string | null): string {
  return day ? DateTime.fromISO(day).toFormat('ccc d LLL yyyy') : 'No activity recorded';
}

function roundedBand(band: Band | null | undefined): PanelWeek['band'] {
  return band ? { lowerQuartile: whole(band.lowerQuartile), median: whole(band.median), upperQuartile: whole(band.upperQuartile) } : null;
}

function weekNote(teaching: boolean, complete: boolean, label: string | null, level: number | null): string {
  if (!teaching) return label ? `${label}: not counted` : 'No teaching: not counted';
  if (!complete) return 'This week is still running';
  return level === null ? 'Not measured' : '';
}

function panelWeeks(analysis: StudentAnalysis, shownIndicators: IndicatorName[]): PanelWeek[] {
  const ownWeeks = new Map((analysis.own?.weeks ?? []).map((w) => [w.weekNumber, w]));
  const bands = new Map((analysis.bands?.weeks ?? []).map((w) => [w.weekNumber, w.level]));
  return analysis.weeks
    .filter((w) => w.started)
    .map((w) => {
      const own = ownWeeks.get(w.number);
      const level = own?.level ?? null;
      return {
        number: w.number,
        label: `Week ${w.number}`,
        dates: `${shortDay(w.start)} – ${shortDay(w.end)}`,
        teaching: w.teaching,
        level: level === null ? null : whole(level),
        band: w.teaching ? roundedBand(bands.get(w.number)) : null,
        note: weekNote(w.teaching, w.complete, w.label, level),
        values: shownIndicators.map((name) => ({ label: INDICATOR_COLUMNS[name], value: Math.round((own?.values[name] ?? 0) * 10) / 10 })),
      };
    });
}

function bandNote(analysis: StudentAnalysis, anyBand: boolean): string {
  if (!analysis.bands) {
    return `The cohort comparison is hidden: it is shown only when at least ${analysis.minCohortSize} students are in the module, so that no one can be picked out.`;
  }
  if (!anyBand) return 'There is no complete week to compare with the cohort yet.';
  return 'The cohort band shows the middle half of students in the module (from the lower to the upper quartile) and the median. It never shows any one person.';
}

/** Last access per source; opening Waymark counts at once (the stored analysis may predate this launch). */
function withOwnLaunch(analysis: StudentAnalysis, member: Member): Record<Source, string | null> {
  const last = { ...(analysis.own?.lastAccess ?? Object.fromEntries(SOURCES.map((s) => [s, null]))) } as Record<Source, string | null>;
  const launched = member.lastLaunchAt ? DateTime.fromJSDate(member.lastLaunchAt, { zone: analysis.calendar.timeZone }).toISODate() : null;
  if (launched && (last.launch === null || launched > last.launch)) last.launch = launched;
  return last;
}

/** Builds the panel for the member the signed launch names; `member` must come from the launch, never from input. */
export async function buildStudentPanelView(module: Module, member: Member, now: Date): Promise<StudentPanelView> {
  const settings = await getModuleSettings(module.id, module.createdAt, module.timeZone);
  const [analysis, launches, reports] = await Promise.all([
    loadStudentAnalysis(module, settings, member.id, now),
    listMemberEvents(module.id, member.id, 'launch', LAUNCHES_LISTED),
    listDataReports(module.id, member.id),
  ]);
  const shownIndicators = analysis.markers.markers.map((m) => m.indicator);
  const weeks = panelWeeks(analysis, shownIndicators);
  const anyBand = weeks.some((w) => w.band !== null);
  const lastAccess = withOwnLaunch(analysis, member);
  return {
    moduleTitle: module.title || module.label || 'This module',
    asOf: longDay(analysis.today),
    period: `${longDay(analysis.calendar.start)} to ${longDay(analysis.calendar.end)}`,
    weeks,
    valueColumns: shownIndicators.map((name) => INDICATOR_COLUMNS[name]),
    bandShown: anyBand,
    bandNote: bandNote(analysis, anyBand),
    chart: weeks.length === 0 ? null : memberChart(LEVEL_CHART, 'You', analysis.weeks, analysis.own?.weeks ?? [], analysis.bands),
    lastAccess: SOURCES.filter((s) => analysis.moduleSources.includes(s) || lastAccess[s] !== null).map((s) => ({ source: STUDENT_SOURCE_LABELS[s], day: longDay(lastAccess[s]) })),
    assignments: {
      expected: analysis.own?.assignments.expected ?? 0,
      submitted: analysis.own?.assignments.submitted ?? 0,
      // The page formats the instant in the reader's zone; without one it says why there is none.
      rows: (analysis.own?.assignments.details ?? []).map((d) => ({ title: d.title, dueAt: d.dueAt, state: STATE_LABELS[d.state], submittedAt: d.submittedAt, handedIn: handedInText(d, formatDayLong) })),
    },
    expectationsText: settings.expectationsText.trim(),
    minimumLevel: analysis.markers.minimumLevel,
    measures: explainMeasures(analysis.markers),
    contactPrompts: explainContactPrompts(settings.thresholds, analysis.markers.minimumLevel),
    contactText: settings.contactText.trim() || DEFAULT_CONTACT,
    launches: launches.map((e) => ({ at: e.occurredAt })),
    reports: reports.map((r) => ({ createdAt: r.createdAt, source: r.source ? STUDENT_SOURCE_LABELS[r.source as Source] ?? r.source : 'Something else', text: r.text, status: REPORT_STATUS_LABELS[r.status] })),
    sourceOptions: REPORTABLE_SOURCES.map((value) => ({ value, label: value === 'other' ? 'Something else' : STUDENT_SOURCE_LABELS[value] })),
  };
}
