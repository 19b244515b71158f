// The vocabulary of the engagement domain: plain data in, plain data out (see /work/shared/DESIGN.md).

export type Source = 'vle' | 'launch' | 'assignment' | 'meeting' | 'recording';

/** Fixed order used everywhere a list of sources is produced, so outputs never depend on input order. */
export const SOURCES: readonly Source[] = ['vle', 'launch', 'assignment', 'meeting', 'recording'];

/** A calendar day, 'YYYY-MM-DD', in the module's time zone. */
export type DayKey = string;

/** Rollup per member, day and source; normally one row per (member, day, source), duplicates are added up. */
export interface DailyActivity {
  memberId: string;
  day: DayKey;
  source: Source;
  count: number;
  minutes: number;
}

export interface NonTeachingPeriod {
  start: DayKey;
  end: DayKey;
  label: string;
}

export interface ModuleCalendar {
  /** IANA zone, 'Europe/London' unless the module says otherwise. */
  timeZone: string;
  start: DayKey;
  end: DayKey;
  nonTeachingWeeks: NonTeachingPeriod[];
}

export type MemberStatus = 'active' | 'inactive' | 'withdrawn';

export interface MemberInfo {
  memberId: string;
  enrolledFrom?: DayKey | null;
  leftOn?: DayKey | null;
  status: MemberStatus;
  isLearner: boolean;
  sponsoredVisa: boolean;
}

export interface Assignment {
  id: string;
  title: string;
  /** ISO instant; an instant without an offset is read in the module's time zone. */
  dueAt: string | null;
}

export interface Submission {
  assignmentId: string;
  memberId: string;
  submittedAt: string | null;
}

/** A period with a known reason for absence: its days are never counted against the member. */
export interface KnownCause {
  memberId: string;
  from: DayKey;
  to: DayKey;
  reason: string;
}

export type IndicatorName =
  | 'vleActiveDays'
  | 'vleClicks'
  | 'launches'
  | 'assignmentsSubmitted'
  | 'meetingsAttended'
  | 'meetingMinutes'
  | 'recordingsViewed'
  | 'recordingMinutes'
  | 'activeDays';

/** Fixed order of the weekly indicators (outputs and bands follow it). */
export const INDICATORS: readonly IndicatorName[] = [
  'vleActiveDays',
  'vleClicks',
  'launches',
  'assignmentsSubmitted',
  'meetingsAttended',
  'meetingMinutes',
  'recordingsViewed',
  'recordingMinutes',
  'activeDays',
];

export interface Marker {
  indicator: IndicatorName;
  weight: number;
  /** The amount per week that counts as fully engaged for this marker (for assignmentsSubmitted: the share of that week's due work). */
  weeklyTarget: number;
}

export interface ModuleMarkers {
  markers: Marker[];
  /** 0..100, the minimum weekly engagement level the module expects; null when the module sets none. */
  minimumLevel: number | null;
}

export interface AlertThresholds {
  /** No-engagement alert when MORE than this many counted teaching days pass without activity. */
  noEngagementDays: number;
  /** The stricter gap for sponsored-visa members, seen only by visa-compliance staff. */
  visaNoEngagementDays: number;
  /** Persistent low: at least this many low weeks ... */
  persistentLowWeeks: number;
  /** ... among this many most recent completed teaching weeks. */
  persistentLowWindow: number;
  /** Sudden drop: last completed week below this share of the member's own baseline. */
  suddenDropRatio: number;
  /** Completed teaching weeks before the last one that make the baseline. */
  suddenDropBaselineWeeks: number;
  /** Scale the ratio by the cohort's own change that week, so a week the whole cohort went quiet is not a personal drop. */
  suddenDropAllowsForCohort: boolean;
  /** The dropped week must also be lower than every baseline week (a new low for this learner). */
  suddenDropMustBeNewLow: boolean;
  /** Cohort figures are hidden below this many learners (never below 3). */
  minCohortSize: number;
}

export type SourceLabels = Record<Source, string>;

// ---- outputs ----

export interface TeachingWeek {
  /** 1-based calendar week of the period (Mon–Sun), counting non-teaching weeks too. */
  number: number;
  /** Monday and Sunday of the week (may lie outside the period for the first and last week). */
  start: DayKey;
  end: DayKey;
  /** True when at least one of its days is a teaching day. */
  teaching: boolean;
  teachingDays: number;
  /** 1-based count among teaching weeks only; null for non-teaching weeks. */
  teachingNumber: number | null;
  /** Label of a non-teaching period that touches the week, e.g. 'Reading week'. */
  label: string | null;
}

export interface AnalysedWeek extends TeachingWeek {
  /** The week has begun on or before `today`. */
  started: boolean;
  /** The week ended before `today`, so it can be judged. */
  complete: boolean;
}

export type WeeklyValues = Record<IndicatorName, number>;

export interface MemberWeek {
  weekNumber: number;
  values: WeeklyValues;
  /** 0..100; null while the week is running, outside teaching, before enrolment, or when no marker applied. */
  level: number | null;
}

export type AssignmentState = 'submitted' | 'late' | 'missing' | 'pending';

export interface AssignmentDetail {
  assignmentId: string;
  title: string;
  dueAt: string | null;
  dueDay: DayKey | null;
  submittedAt: string | null;
  submittedDay: DayKey | null;
  /** Due before asOf (so expected); a member who joined after the due day is not expected to have submitted. */
  expected: boolean;
  state: AssignmentState;
}

export interface AssignmentIndicators {
  expected: number;
  /** Expected assignments that were submitted, on time or late. */
  submitted: number;
  late: number;
  missing: number;
  details: AssignmentDetail[];
}

export interface MemberIndicators {
  memberId: string;
  status: MemberStatus;
  isLearner: boolean;
  sponsoredVisa: boolean;
  asOf: DayKey;
  lastAccess: Record<Source, DayKey | null>;
  /** The last day of learning activity in any source: opening Waymark does not count (activity-index). */
  lastAccessAny: DayKey | null;
  vle: { clicks: number; activeDays: number };
  launches: number;
  activeDays: number;
  assignments: AssignmentIndicators;
  meetings: { attended: number; minutes: number };
  recordings: { viewed: number; minutes: number };
  /** One entry per started week of the period, in order. */
  weeks: MemberWeek[];
}

export interface Band {
  n: number;
  lowerQuartile: number;
  median: number;
  upperQuartile: number;
}

export interface WeekBands {
  weekNumber: number;
  /** Active learners enrolled by the week's first day. */
  cohortSize: number;
  level: Band | null;
  indicators: Record<IndicatorName, Band | null>;
}

export interface CohortBands {
  minCohortSize: number;
  cohortSize: number;
  weeks: WeekBands[];
}

export type AlertRule = 'noEngagement' | 'persistentLow' | 'suddenDrop' | 'sponsoredVisa';
export type AlertAudience = 'staff' | 'visa-compliance';
export type AlertFigures = Record<string, number | string | null>;

export interface AlertEvidence {
  text: string;
  figures: AlertFigures;
}

export interface AlertCandidate {
  memberId: string;
  rule: AlertRule;
  audience: AlertAudience;
  /** Stable id of the episode (rule + first day); the same episode always gets the same key. */
  key: string;
  since: DayKey;
  evidence: AlertEvidence;
}

export type AlertState = 'open' | 'acknowledged' | 'contacted' | 'resolved' | 'dismissed';

export interface StoredAlert {
  id: string;
  memberId: string;
  rule: AlertRule;
  audience: AlertAudience;
  key: string;
  state: AlertState;
  since?: DayKey;
  evidence?: AlertEvidence;
}

export interface AlertRefresh {
  id: string;
  candidate: AlertCandidate;
}

export interface AlertClosure {
  id: string;
  explanation: string;
}

export interface AlertReconciliation {
  toOpen: AlertCandidate[];
  toRefresh: AlertRefresh[];
  toClose: AlertClosure[];
}

export interface ModuleAnalysisInput {
  calendar: ModuleCalendar;
  members: MemberInfo[];
  activity: DailyActivity[];
  assignments: Assignment[];
  submissions: Submission[];
  knownCauses: KnownCause[];
  markers?: ModuleMarkers;
  thresholds?: Partial<AlertThresholds>;
  sourceLabels?: Partial<SourceLabels>;
  /** The day of the analysis: its activity is included, but it is still running, so it never counts against anyone. */
  today: DayKey;
}

export interface ModuleAnalysis {
  today: DayKey;
  weeks: AnalysedWeek[];
  members: MemberIndicators[];
  bands: CohortBands | null;
  alerts: AlertCandidate[];
  /** The markers and thresholds actually used (defaults filled in), for pages that explain the figures. */
  markers: ModuleMarkers;
  thresholds: AlertThresholds;
}
