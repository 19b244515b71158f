import { formatDay, type AnalysedWeek, type Band, type CohortBands, type IndicatorName, type MemberWeek, type Source } from '../engagement';
import { SOURCE_DESCRIPTIONS } from './staff-wording';

/**
 * What public/js/engagement-chart.js draws, passed as JSON in a <script type="application/json"> element.
 * Every chart also renders as a table (templates/partials/engagement-chart.hbs), so no figure lives only in a picture.
 */
export interface ChartData {
  labels: string[];
  yLabel: string;
  /** Fixed top of the axis (100 for levels); null to fit the data. */
  yMax: number | null;
  /** The cohort's middle half and median, drawn as a shaded band with a dashed line. */
  band: { lower: Array<number | null>; median: Array<number | null>; upper: Array<number | null>; label: string; medianLabel: string } | null;
  series: Array<{ label: string; values: Array<number | null> }>;
  /** Indices of labels that are non-teaching weeks, shaded behind the chart. */
  shaded: number[];
  shadedLabel: string;
}

export interface ChartTable {
  caption: string;
  headers: string[];
  rows: Array<{ head: string; cells: string[] }>;
}

export interface ChartView {
  id: string;
  title: string;
  /** One or two sentences saying what the chart shows, read by screen readers with the canvas. */
  summary: string;
  data: ChartData;
  table: ChartTable;
}

function round(value: number | null | undefined, decimals = 0): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function cell(value: number | null, unit = ''): string {
  return value === null ? '—' : `${value}${unit}`;
}

export function weekLabel(week: AnalysedWeek): string {
  return week.teaching ? `Week ${week.teachingNumber ?? week.number}` : week.label || 'Non-teaching';
}

function weekHead(week: AnalysedWeek): string {
  return `${weekLabel(week)} (from ${formatDay(week.start)})`;
}

function bandSeries(weeks: readonly AnalysedWeek[], pick: (weekNumber: number) => Band | null, decimals: number): NonNullable<ChartData['band']> | null {
  const bands = weeks.map((w) => pick(w.number));
  if (bands.every((b) => b === null)) return null;
  return {
    lower: bands.map((b) => round(b?.lowerQuartile, decimals)),
    median: bands.map((b) => round(b?.median, decimals)),
    upper: bands.map((b) => round(b?.upperQuartile, decimals)),
    label: 'Middle half of the cohort',
    medianLabel: 'Cohort median',
  };
}

function shadedOf(weeks: readonly AnalysedWeek[]): number[] {
  return weeks.flatMap((w, i) => (w.teaching ? [] : [i]));
}

/** The weeks worth drawing: complete ones (a running week's part-figures would read as a fall). */
export function chartedWeeks(weeks: readonly AnalysedWeek[]): AnalysedWeek[] {
  return weeks.filter((w) => w.complete);
}

/** The module's weekly engagement level: cohort median and middle half, non-teaching weeks shaded. */
export function cohortLevelChart(weeks: readonly AnalysedWeek[], bands: CohortBands | null): ChartView | null {
  const shown = chartedWeeks(weeks);
  const byWeek = new Map((bands?.weeks ?? []).map((w) => [w.weekNumber, w]));
  const band = bandSeries(shown, (n) => byWeek.get(n)?.level ?? null, 0);
  if (!band) return null;
  return {
    id: 'cohort-level',
    title: 'Weekly engagement level across the cohort',
    summary: 'The line is the median learner’s engagement level each week (0–100%); the shaded band is the middle half of learners, between the lower and upper quartiles. Non-teaching weeks are shaded grey and never count against anyone.',
    data: { labels: shown.map(weekLabel), yLabel: 'Engagement level (%)', yMax: 100, band, series: [], shaded: shadedOf(shown), shadedLabel: 'Non-teaching week' },
    table: {
      caption: 'Weekly engagement level across the cohort (%)',
      headers: ['Week', 'Lower quartile', 'Median', 'Upper quartile', 'Learners'],
      rows: shown.map((w, i) => ({
        head: weekHead(w),
        cells: [cell(band.lower[i] ?? null, '%'), cell(band.median[i] ?? null, '%'), cell(band.upper[i] ?? null, '%'), String(byWeek.get(w.number)?.cohortSize ?? '—')],
      })),
    },
  };
}

export interface MemberChartSpec {
  id: string;
  title: string;
  yLabel: string;
  /** Which weekly figure: the level or one indicator. */
  measure: { level: true } | { indicator: IndicatorName };
  unit: string;
}

/** One chart per source the module uses, plus the overall level, each against the cohort band. */
export function memberChartSpecs(sources: readonly Source[]): MemberChartSpec[] {
  const bySource: Record<Source, MemberChartSpec> = {
    vle: { id: 'vle', title: `${SOURCE_DESCRIPTIONS.vle}: active days per week`, yLabel: 'Days active', measure: { indicator: 'vleActiveDays' }, unit: '' },
    launch: { id: 'launch', title: `${SOURCE_DESCRIPTIONS.launch}: launches per week`, yLabel: 'Launches', measure: { indicator: 'launches' }, unit: '' },
    assignment: { id: 'assignment', title: `${SOURCE_DESCRIPTIONS.assignment}: share of the week’s due work submitted`, yLabel: 'Share submitted', measure: { indicator: 'assignmentsSubmitted' }, unit: '' },
    meeting: { id: 'meeting', title: `${SOURCE_DESCRIPTIONS.meeting} per week`, yLabel: 'Meetings', measure: { indicator: 'meetingsAttended' }, unit: '' },
    recording: { id: 'recording', title: `${SOURCE_DESCRIPTIONS.recording} per week`, yLabel: 'Recordings', measure: { indicator: 'recordingsViewed' }, unit: '' },
  };
  return [
    { id: 'level', title: 'Engagement level per week', yLabel: 'Engagement level (%)', measure: { level: true }, unit: '%' },
    ...sources.map((s) => bySource[s]),
  ];
}

/** A member's weekly figure against the cohort band (the band is hidden when the cohort is too small). */
export function memberChart(spec: MemberChartSpec, who: string, weeks: readonly AnalysedWeek[], memberWeeks: readonly MemberWeek[], bands: CohortBands | null): ChartView {
  const shown = chartedWeeks(weeks);
  const own = new Map(memberWeeks.map((w) => [w.weekNumber, w]));
  const byWeek = new Map((bands?.weeks ?? []).map((w) => [w.weekNumber, w]));
  const isLevel = 'level' in spec.measure;
  const decimals = isLevel ? 0 : 1;
  const valueOf = (n: number): number | null => {
    const week = own.get(n);
    if (!week) return null;
    return 'level' in spec.measure ? round(week.level, 0) : round(week.values[spec.measure.indicator], decimals);
  };
  const band = bandSeries(shown, (n) => ('level' in spec.measure ? byWeek.get(n)?.level : byWeek.get(n)?.indicators[spec.measure.indicator]) ?? null, decimals);
  const values = shown.map((w) => valueOf(w.number));
  return {
    id: `member-${spec.id}`,
    title: spec.title,
    summary: band
      ? `The solid line is ${who}; the shaded band is the middle half of the cohort and the dashed line its median. Non-teaching weeks are shaded grey.`
      : `The line is ${who}. The cohort band is hidden because the cohort is too small to keep it anonymous.`,
    data: { labels: shown.map(weekLabel), yLabel: spec.yLabel, yMax: isLevel ? 100 : null, band, series: [{ label: who, values }], shaded: shadedOf(shown), shadedLabel: 'Non-teaching week' },
    table: {
      caption: spec.title,
      headers: band ? ['Week', who, 'Cohort lower quartile', 'Cohort median', 'Cohort upper quartile'] : ['Week', who],
      rows: shown.map((w, i) => ({
        head: weekHead(w),
        cells: band
          ? [cell(values[i] ?? null, spec.unit), cell(band.lower[i] ?? null, spec.unit), cell(band.median[i] ?? null, spec.unit), cell(band.upper[i] ?? null, spec.unit)]
          : [cell(values[i] ?? null, spec.unit)],
      })),
    },
  };
}
