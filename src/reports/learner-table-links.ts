import { DEFAULT_TABLE_QUERY, type LearnerTableQuery, type TableSort } from './learner-table';

// The learner table's links: sorting, paging and filtering all live in the URL, so they work without script,
// can be bookmarked and go back and forward like any page.

export interface SortLink {
  label: string;
  href: string;
  ariaSort: 'ascending' | 'descending' | 'none';
  sorted: boolean;
}

export const DASHBOARD_PATH = '/app/module';

/** A table URL with only the parts that differ from the defaults (the template adds the launch token). */
export function tableHref(query: LearnerTableQuery, path = DASHBOARD_PATH): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.alert !== DEFAULT_TABLE_QUERY.alert) params.set('alert', query.alert);
  if (query.source !== DEFAULT_TABLE_QUERY.source) params.set('source', query.source);
  if (query.since) params.set('since', query.since);
  if (query.sort !== DEFAULT_TABLE_QUERY.sort) params.set('sort', query.sort);
  if (query.dir !== DEFAULT_TABLE_QUERY.dir) params.set('dir', query.dir);
  if (query.page !== 1) params.set('page', String(query.page));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Numbers and dates read best largest- or latest-first; names A–Z. */
const FIRST_DIRECTION: Record<string, 'asc' | 'desc'> = { name: 'asc', level: 'asc', change: 'asc', assignments: 'asc', alerts: 'desc' };

export function sortLink(query: LearnerTableQuery, sort: TableSort, label: string): SortLink {
  const sorted = query.sort === sort;
  const first = FIRST_DIRECTION[sort] ?? 'asc';
  const dir = sorted ? (query.dir === 'asc' ? 'desc' : 'asc') : first;
  return {
    label,
    href: tableHref({ ...query, sort, dir, page: 1 }),
    ariaSort: sorted ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    sorted,
  };
}

export function pageLinks(query: LearnerTableQuery, page: number, pages: number): Array<{ n: number; href: string; current: boolean }> {
  // First, last and two either side of the current page: enough to move through 20 pages without a wall of links.
  const wanted = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((n) => n >= 1 && n <= pages));
  return [...wanted].sort((a, b) => a - b).map((n) => ({ n, href: tableHref({ ...query, page: n }), current: n === page }));
}
