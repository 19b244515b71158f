import { formatDay, SOURCES, type AlertRule, type DayKey, type Source } from '../engagement';
import { levelChange, type LearnerRow } from './learner-table';
import { formatPercent } from './display-format';
import { RULE_LABELS, SOURCE_LABELS } from './staff-wording';

// How one learner row reads, on the page and in its CSV export alike.

/** A change smaller than this many points reads as "about the same". */
const STEADY_POINTS = 5;

export interface TrendView {
  direction: 'up' | 'down' | 'same' | 'none';
  symbol: string;
  /** What the table shows beside the arrow, e.g. '+12'. */
  short: string;
  /** The same in words, for screen readers, the CSV and the tooltip. */
  text: string;
}

export interface SparklineView {
  /** SVG polyline point lists, one per run of weeks with a level. */
  segments: string[];
  dots: Array<{ x: number; y: number }>;
}

export interface LearnerRowView {
  memberId: string;
  name: string;
  inactive: boolean;
  level: string;
  trend: TrendView;
  sparkline: SparklineView | null;
  lastAccess: Array<{ source: Source; label: string; text: string }>;
  assignments: string;
  alerts: Array<{ rule: AlertRule; label: string }>;
  analysed: boolean;
}

export function trendOf(row: Pick<LearnerRow, 'level' | 'previousLevel'>): TrendView {
  const change = levelChange(row);
  if (change === null) return { direction: 'none', symbol: '', short: '—', text: row.level === null ? 'Not measured' : 'No earlier week to compare' };
  const points = Math.round(Math.abs(change));
  if (points < STEADY_POINTS) return { direction: 'same', symbol: '→', short: 'same', text: `About the same as the week before (${formatPercent(row.previousLevel)})` };
  return change > 0
    ? { direction: 'up', symbol: '↑', short: `+${points}`, text: `Up ${points} points from ${formatPercent(row.previousLevel)}` }
    : { direction: 'down', symbol: '↓', short: `−${points}`, text: `Down ${points} points from ${formatPercent(row.previousLevel)}` };
}

const SPARK_WIDTH = 64;
const SPARK_HEIGHT = 20;
const SPARK_PAD = 2;

export function sparklineOf(levels: ReadonlyArray<number | null>): SparklineView | null {
  if (levels.filter((l) => l !== null).length < 2) return null;
  const step = levels.length > 1 ? (SPARK_WIDTH - 2 * SPARK_PAD) / (levels.length - 1) : 0;
  const point = (level: number, i: number) => ({ x: Math.round((SPARK_PAD + i * step) * 10) / 10, y: Math.round((SPARK_HEIGHT - SPARK_PAD - (level / 100) * (SPARK_HEIGHT - 2 * SPARK_PAD)) * 10) / 10 });
  const segments: string[] = [];
  let run: string[] = [];
  const dots: Array<{ x: number; y: number }> = [];
  levels.forEach((level, i) => {
    if (level === null) {
      if (run.length > 1) segments.push(run.join(' '));
      run = [];
      return;
    }
    const p = point(level, i);
    run.push(`${p.x},${p.y}`);
    if (i === levels.length - 1) dots.push(p);
  });
  if (run.length > 1) segments.push(run.join(' '));
  return { segments, dots };
}

export function lastAccessText(day: DayKey | null): string {
  return day ? formatDay(day) : 'Never';
}

export function learnerRowView(row: LearnerRow, sources: readonly Source[]): LearnerRowView {
  return {
    memberId: row.memberId,
    name: row.name,
    inactive: row.inactive,
    level: formatPercent(row.level),
    trend: trendOf(row),
    sparkline: sparklineOf(row.recentLevels),
    lastAccess: sources.map((source) => ({ source, label: SOURCE_LABELS[source], text: lastAccessText(row.lastAccess[source]) })),
    assignments: row.expected === 0 ? 'None due yet' : `${row.submitted} of ${row.expected}`,
    alerts: row.alertRules.map((rule) => ({ rule, label: RULE_LABELS[rule] })),
    analysed: row.analysed,
  };
}

/** Sources worth a column: those the module has data from (Moodle always, as every module has it). */
export function tableSources(lastActivityBySource: Record<Source, DayKey | null> | null): Source[] {
  return SOURCES.filter((s) => s !== 'assignment' && (s === 'vle' || (lastActivityBySource?.[s] ?? null) !== null));
}
