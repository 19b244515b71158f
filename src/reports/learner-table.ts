import { SOURCES, type AlertRule, type DayKey, type Source } from '../engagement';
import { RULE_ORDER } from './staff-wording';

// The dashboard's learner table as plain data: filter, sort and page, shared by the page and its CSV export.

export const TABLE_SORTS = ['name', 'level', 'change', 'last-any', ...SOURCES.map((s) => `last-${s}` as const), 'assignments', 'alerts'] as const;
export type TableSort = (typeof TABLE_SORTS)[number];
export const ALERT_FILTERS = ['all', 'any', 'none', ...RULE_ORDER] as const;
export type AlertFilter = (typeof ALERT_FILTERS)[number];

/** Fifty rows keep a page of a 1,000-learner module light while still scannable. */
export const PAGE_SIZE = 50;

export interface LearnerTableQuery {
  /** Part of a name or email, case-insensitive. */
  q: string;
  alert: AlertFilter;
  /** With `since`: whose last access to this source (or to any) is before that day, or never. */
  source: Source | 'any';
  since: DayKey | null;
  sort: TableSort;
  dir: 'asc' | 'desc';
  page: number;
}

export const DEFAULT_TABLE_QUERY: LearnerTableQuery = { q: '', alert: 'all', source: 'any', since: null, sort: 'name', dir: 'asc', page: 1 };

export interface LearnerRow {
  memberId: string;
  name: string;
  /** Family name first, for sorting by name as registers do. */
  sortName: string;
  email: string;
  inactive: boolean;
  /** Engagement level of the last complete teaching week, 0..100; null when not measured. */
  level: number | null;
  previousLevel: number | null;
  /** Levels of the last few complete teaching weeks, oldest first, for the small trend line. */
  recentLevels: Array<number | null>;
  lastAccess: Record<Source, DayKey | null>;
  lastAccessAny: DayKey | null;
  submitted: number;
  expected: number;
  alertRules: AlertRule[];
  analysed: boolean;
}

export function levelChange(row: Pick<LearnerRow, 'level' | 'previousLevel'>): number | null {
  return row.level === null || row.previousLevel === null ? null : row.level - row.previousLevel;
}

function matchesAlert(row: LearnerRow, alert: AlertFilter): boolean {
  if (alert === 'all') return true;
  if (alert === 'any') return row.alertRules.length > 0;
  if (alert === 'none') return row.alertRules.length === 0;
  return row.alertRules.includes(alert);
}

function lastAccessOf(row: LearnerRow, source: Source | 'any'): DayKey | null {
  return source === 'any' ? row.lastAccessAny : row.lastAccess[source];
}

function matches(row: LearnerRow, query: LearnerTableQuery): boolean {
  if (query.q) {
    const needle = query.q.toLocaleLowerCase('en-GB');
    if (!row.name.toLocaleLowerCase('en-GB').includes(needle) && !row.email.toLocaleLowerCase('en-GB').includes(needle)) return false;
  }
  if (!matchesAlert(row, query.alert)) return false;
  if (query.since) {
    const last = lastAccessOf(row, query.source);
    if (last !== null && last >= query.since) return false;
  }
  return true;
}

type SortValue = string | number | null;

function sortValue(row: LearnerRow, sort: TableSort): SortValue {
  switch (sort) {
    case 'name':
      return row.sortName;
    case 'level':
      return row.level;
    case 'change':
      return levelChange(row);
    case 'last-any':
      return row.lastAccessAny;
    case 'assignments':
      return row.expected === 0 ? null : row.submitted / row.expected;
    case 'alerts':
      return row.alertRules.length;
    default:
      return row.lastAccess[sort.slice('last-'.length) as Source];
  }
}

// One collator for every comparison: localeCompare with options builds a new one per call, which made sorting
// a 1,000-learner table the dashboard's largest CPU cost.
const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** Filtered and sorted; rows without a value for the sort column always come last, whichever the direction. */
export function selectRows(rows: readonly LearnerRow[], query: LearnerTableQuery): LearnerRow[] {
  const sign = query.dir === 'desc' ? -1 : 1;
  return rows
    .filter((row) => matches(row, query))
    .map((row) => ({ row, value: sortValue(row, query.sort) }))
    .sort((x, y) => {
      if (x.value === null || y.value === null) {
        if (x.value === y.value) return compareValues(x.row.sortName, y.row.sortName);
        return x.value === null ? 1 : -1;
      }
      return sign * compareValues(x.value, y.value) || compareValues(x.row.sortName, y.row.sortName) || compareValues(x.row.memberId, y.row.memberId);
    })
    .map(({ row }) => row);
}

export interface TablePage {
  rows: LearnerRow[];
  page: number;
  pages: number;
  total: number;
  /** 1-based positions of the first and last row shown (0 when empty). */
  from: number;
  to: number;
}

/** A page past the end shows the last page rather than an empty table. */
export function pageOf(rows: readonly LearnerRow[], page: number, size = PAGE_SIZE): TablePage {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(1, page), pages);
  const start = (current - 1) * size;
  const shown = rows.slice(start, start + size);
  return { rows: shown, page: current, pages, total: rows.length, from: shown.length ? start + 1 : 0, to: start + shown.length };
}
