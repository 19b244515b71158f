import {
  checkAlertThresholds,
  checkModuleCalendar,
  checkModuleMarkers,
  DEFAULT_ALERT_THRESHOLDS,
  DEFAULT_MARKERS,
  INDICATORS,
  resolveThresholds,
  type AlertThresholds,
  type IndicatorName,
  type Marker,
  type ModuleCalendar,
  type ModuleMarkers,
} from '../engagement';
import type { ModuleSettings } from '../store/module-settings-repository';

// The module settings form: what it shows, and how a submitted form becomes settings the engine accepts.

export const INDICATOR_LABELS: Record<IndicatorName, { label: string; unit: string }> = {
  vleActiveDays: { label: 'Days active in Moodle', unit: 'days a week' },
  vleClicks: { label: 'Moodle clicks', unit: 'clicks a week' },
  launches: { label: 'Opening Waymark', unit: 'launches a week' },
  assignmentsSubmitted: { label: 'Submitting the work due that week', unit: 'share of the due work (0–1)' },
  meetingsAttended: { label: 'Teams meetings attended', unit: 'meetings a week' },
  meetingMinutes: { label: 'Minutes in Teams meetings', unit: 'minutes a week' },
  recordingsViewed: { label: 'Echo360 recordings viewed', unit: 'recordings a week' },
  recordingMinutes: { label: 'Minutes of Echo360 recordings', unit: 'minutes a week' },
  activeDays: { label: 'Days active in any source', unit: 'days a week' },
};

type NumericThreshold = Exclude<keyof AlertThresholds, 'suddenDropAllowsForCohort' | 'suddenDropMustBeNewLow'>;
type BooleanThreshold = 'suddenDropAllowsForCohort' | 'suddenDropMustBeNewLow';

export const NUMERIC_THRESHOLDS: ReadonlyArray<{ key: NumericThreshold; label: string; hint: string; step: string }> = [
  { key: 'noEngagementDays', label: 'No engagement: alert after more than this many teaching days without activity', hint: 'Nottingham’s policy: 14. Non-teaching days and known causes are never counted.', step: '1' },
  { key: 'visaNoEngagementDays', label: 'Sponsored visa: the stricter number of days', hint: 'Seen only by visa-compliance staff. The same as above or fewer.', step: '1' },
  { key: 'persistentLowWeeks', label: 'Persistently low: low in at least this many weeks…', hint: 'Below the minimum level, or below the cohort’s lower quartile when no minimum is set.', step: '1' },
  { key: 'persistentLowWindow', label: '…of this many most recent teaching weeks', hint: '', step: '1' },
  { key: 'suddenDropRatio', label: 'Sudden drop: last week below this share of the learner’s usual level', hint: '0.4 means below 40% of their own average.', step: '0.05' },
  { key: 'suddenDropBaselineWeeks', label: 'Sudden drop: teaching weeks that make the usual level', hint: '', step: '1' },
  { key: 'minCohortSize', label: 'Hide cohort figures below this many learners', hint: 'Never below 3, so no cohort figure can point at one or two students.', step: '1' },
];

export const BOOLEAN_THRESHOLDS: ReadonlyArray<{ key: BooleanThreshold; label: string }> = [
  { key: 'suddenDropAllowsForCohort', label: 'Allow for weeks when the whole cohort went quiet (not a personal drop)' },
  { key: 'suddenDropMustBeNewLow', label: 'Count a drop only when it is a new low for that learner' },
];

export interface SettingsFormView {
  start: string;
  end: string;
  timeZone: string;
  calendarInferred: boolean;
  nonTeaching: Array<{ index: number; start: string; end: string; label: string }>;
  markers: Array<{ indicator: IndicatorName; label: string; unit: string; on: boolean; weight: string; target: string }>;
  minimumLevel: string;
  /** `locked`: shown but not for this person to change (the sponsored-visa threshold, for all but visa-compliance staff). */
  numeric: Array<{ key: string; label: string; hint: string; step: string; value: string; defaultValue: string; locked?: boolean }>;
  booleans: Array<{ key: string; label: string; checked: boolean }>;
  expectationsText: string;
  contactText: string;
}

/** Blank rows offered for new non-teaching periods. */
const SPARE_PERIOD_ROWS = 2;

/** The form as stored settings fill it in (defaults where the module has chosen nothing). */
export function settingsFormView(settings: ModuleSettings): SettingsFormView {
  const markers = settings.markers ?? DEFAULT_MARKERS;
  const thresholds = resolveThresholds(settings.thresholds);
  const periods = settings.calendar.nonTeachingWeeks;
  return {
    start: settings.calendar.start,
    end: settings.calendar.end,
    timeZone: settings.calendar.timeZone,
    calendarInferred: settings.calendarInferred,
    nonTeaching: [...periods, ...Array.from({ length: SPARE_PERIOD_ROWS }, () => ({ start: '', end: '', label: '' }))].map((p, index) => ({ index, ...p })),
    markers: INDICATORS.map((indicator) => {
      const chosen = markers.markers.find((m) => m.indicator === indicator);
      const fallback = DEFAULT_MARKERS.markers.find((m) => m.indicator === indicator);
      return {
        indicator,
        ...INDICATOR_LABELS[indicator],
        on: Boolean(chosen),
        weight: String(chosen?.weight ?? fallback?.weight ?? 1),
        target: String(chosen?.weeklyTarget ?? fallback?.weeklyTarget ?? 1),
      };
    }),
    minimumLevel: markers.minimumLevel === null ? '' : String(markers.minimumLevel),
    numeric: NUMERIC_THRESHOLDS.map((t) => ({ ...t, value: String(thresholds[t.key]), defaultValue: String(DEFAULT_ALERT_THRESHOLDS[t.key]) })),
    booleans: BOOLEAN_THRESHOLDS.map((t) => ({ ...t, checked: thresholds[t.key] })),
    expectationsText: settings.expectationsText,
    contactText: settings.contactText,
  };
}

export interface SettingsInput {
  calendar: ModuleCalendar;
  markers: ModuleMarkers | null;
  thresholds: Partial<AlertThresholds>;
  expectationsText: string;
  contactText: string;
}

type Body = Record<string, unknown>;

function text(body: Body, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value.trim() : '';
}

function numberField(body: Body, key: string, label: string, problems: string[]): number {
  const raw = text(body, key);
  const value = raw === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) problems.push(`${label}: enter a number.`);
  return value;
}

const MAX_TEXT = 2000;
const MAX_PERIODS = 40;

function sameMarkers(a: readonly Marker[], b: readonly Marker[]): boolean {
  return a.length === b.length && a.every((m, i) => m.indicator === b[i]?.indicator && m.weight === b[i]?.weight && m.weeklyTarget === b[i]?.weeklyTarget);
}

/**
 * Reads a submitted form. Problems come from the engine's own checks (so the page says exactly what the
 * analysis would refuse) plus the form's; settings are returned only when there are none. Thresholds and
 * markers equal to the defaults are not stored, so a module keeps following the defaults as they improve.
 */
export function parseSettingsForm(body: Body): { input: SettingsInput | null; problems: string[]; form: SettingsFormView } {
  const problems: string[] = [];
  const periods: ModuleCalendar['nonTeachingWeeks'] = [];
  const rows = Math.min(MAX_PERIODS, Math.max(0, Number(text(body, 'periodRows')) || 0));
  const formPeriods: SettingsFormView['nonTeaching'] = [];
  const teaching = { start: text(body, 'start'), end: text(body, 'end') };
  for (let i = 0; i < rows; i++) {
    const p = { start: text(body, `period-${i}-start`), end: text(body, `period-${i}-end`), label: text(body, `period-${i}-label`) };
    formPeriods.push({ index: i, ...p });
    if (!p.start && !p.end && !p.label) continue;
    if (!p.start || !p.end) problems.push(`Non-teaching period ${i + 1}${p.label ? ` (“${p.label}”)` : ''}: give both a first and a last day.`);
    // Outside the teaching period a break changes nothing: most likely a mistyped day or year.
    else if (teaching.start && teaching.end && (p.end < teaching.start || p.start > teaching.end)) {
      problems.push(`Non-teaching period ${i + 1}${p.label ? ` (“${p.label}”)` : ''}, ${p.start} to ${p.end}, lies outside the teaching period ${teaching.start} to ${teaching.end}: check its days.`);
    }
    periods.push({ start: p.start, end: p.end, label: p.label || 'Non-teaching week' });
  }
  const calendar: ModuleCalendar = { start: teaching.start, end: teaching.end, timeZone: text(body, 'timeZone'), nonTeachingWeeks: periods };
  if (!calendar.start || !calendar.end) problems.push('Teaching period: give its first and last day.');
  else problems.push(...checkModuleCalendar(calendar));
  if (rows === MAX_PERIODS && Number(text(body, 'periodRows')) > MAX_PERIODS) problems.push(`Non-teaching periods: at most ${MAX_PERIODS}; join neighbouring weeks into one period.`);

  const chosen: Marker[] = [];
  const formMarkers = INDICATORS.map((indicator) => {
    const on = text(body, `marker-${indicator}`) === 'yes';
    const weight = text(body, `marker-${indicator}-weight`);
    const target = text(body, `marker-${indicator}-target`);
    if (on) {
      const label = INDICATOR_LABELS[indicator].label;
      chosen.push({ indicator, weight: numberField(body, `marker-${indicator}-weight`, `${label}, weight`, problems), weeklyTarget: numberField(body, `marker-${indicator}-target`, `${label}, weekly target`, problems) });
    }
    return { indicator, ...INDICATOR_LABELS[indicator], on, weight, target };
  });
  const minimumText = text(body, 'minimumLevel');
  const minimumLevel = minimumText === '' ? null : numberField(body, 'minimumLevel', 'Minimum expected level', problems);
  const markers: ModuleMarkers = { markers: chosen, minimumLevel };
  problems.push(...checkModuleMarkers(markers));

  const thresholds: Partial<AlertThresholds> = {};
  const formNumeric = NUMERIC_THRESHOLDS.map((t) => {
    const value = numberField(body, `threshold-${t.key}`, t.label, problems);
    if (value !== DEFAULT_ALERT_THRESHOLDS[t.key]) thresholds[t.key] = value;
    return { ...t, value: text(body, `threshold-${t.key}`), defaultValue: String(DEFAULT_ALERT_THRESHOLDS[t.key]) };
  });
  const formBooleans = BOOLEAN_THRESHOLDS.map((t) => {
    const checked = text(body, `threshold-${t.key}`) === 'yes';
    if (checked !== DEFAULT_ALERT_THRESHOLDS[t.key]) thresholds[t.key] = checked;
    return { ...t, checked };
  });
  if (problems.length === 0) problems.push(...checkAlertThresholds(resolveThresholds(thresholds)));

  const expectationsText = text(body, 'expectationsText');
  const contactText = text(body, 'contactText');
  if (expectationsText.length > MAX_TEXT) problems.push(`What students are told: keep it under ${MAX_TEXT} characters.`);
  if (contactText.length > MAX_TEXT) problems.push(`Whom students contact: keep it under ${MAX_TEXT} characters.`);

  const form: SettingsFormView = {
    start: calendar.start,
    end: calendar.end,
    timeZone: calendar.timeZone,
    calendarInferred: false,
    nonTeaching: [...formPeriods, ...Array.from({ length: SPARE_PERIOD_ROWS }, (_, k) => ({ index: formPeriods.length + k, start: '', end: '', label: '' }))],
    markers: formMarkers,
    minimumLevel: minimumText,
    numeric: formNumeric,
    booleans: formBooleans,
    expectationsText,
    contactText,
  };
  const isDefault = sameMarkers(chosen, DEFAULT_MARKERS.markers) && minimumLevel === DEFAULT_MARKERS.minimumLevel;
  return {
    input: problems.length > 0 ? null : { calendar, markers: isDefault ? null : markers, thresholds, expectationsText, contactText },
    problems,
    form,
  };
}
