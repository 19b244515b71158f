import { listMembers } from '../store/member-repository';
import { getModuleSnapshot, listMemberSummaries, type MemberSummary, type ModuleSnapshot } from '../store/module-snapshot-repository';
import { listLiveAlertRules } from '../store/alert-repository';
import { findDigestSubscription } from '../store/digest-subscription-repository';
import { SOURCES, type AlertRule, type Source } from '../engagement';
import type { Member, Module } from '../store/types';
import { cohortLevelChart, weekLabel, type ChartView } from './chart-view';
import { dataFreshness, type FreshnessLine } from './data-freshness';
import { formatPercent, instantFormatter, medianOf } from './display-format';
import { todayIn } from './engagement-members';
import { buildLearnerRows, judgedWeeks, memberDisplayName } from './learner-rows';
import { learnerRowView, tableSources, trendOf, type LearnerRowView, type TrendView } from './learner-row-view';
import { ALERT_FILTERS, DEFAULT_TABLE_QUERY, pageOf, selectRows, type LearnerRow, type LearnerTableQuery, type TableSort } from './learner-table';
import { isLearnerMember, isStaffMember } from './member-classification';
import { recomputeWithin, snapshotIsStale, type RecomputeWait } from './snapshot-freshness';
import { visibleMembers, type StaffViewer } from './staff-viewer';
import { RULE_LABELS, RULE_ORDER, SOURCE_LABELS } from './staff-wording';

export interface SortLink {
  label: string;
  href: string;
  ariaSort: 'ascending' | 'descending' | 'none';
  sorted: boolean;
}

export interface DashboardView {
  moduleTitle: string;
  scopedToMentees: boolean;
  isStaff: boolean;
  analysedAt: string | null;
  analysisNotice: string | null;
  summary: {
    learners: number;
    learnersWithAlerts: number;
    alertsByRule: Array<{ rule: AlertRule; label: string; count: number; href: string }>;
    week: { label: string; level: string; previousLabel: string | null; trend: TrendView } | null;
  };
  freshness: FreshnessLine[];
  chart: ChartView | null;
  chartHiddenReason: string | null;
  table: {
    levelHeading: string;
    /** Columns under the "Last access" heading: one per source shown. */
    lastAccessSpan: number;
    columns: { name: SortLink; level: SortLink; change: SortLink; sources: Array<SortLink & { source: Source }>; assignments: SortLink; alerts: SortLink };
    rows: LearnerRowView[];
    from: number;
    to: number;
    total: number;
    allLearners: number;
    page: number;
    pages: number;
    prevHref: string | null;
    nextHref: string | null;
    pageLinks: Array<{ n: number; href: string; current: boolean }>;
    filters: {
      q: string;
      since: string;
      alertOptions: Array<{ value: string; label: string; selected: boolean }>;
      sourceOptions: Array<{ value: string; label: string; selected: boolean }>;
      active: boolean;
      sort: TableSort;
      dir: 'asc' | 'desc';
    };
    csvHref: string;
    resetHref: string;
  };
  otherMembers: Array<{ memberId: string; name: string; role: string; canOpen: boolean }> | null;
  digest: { subscribed: boolean; email: string | null } | null;
}

const DASHBOARD_PATH = '/app/module';

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

function sortLink(query: LearnerTableQuery, sort: TableSort, label: string): SortLink {
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

function pageLinks(query: LearnerTableQuery, page: number, pages: number): Array<{ n: number; href: string; current: boolean }> {
  // First, last and two either side of the current page: enough to move through 20 pages without a wall of links.
  const wanted = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((n) => n >= 1 && n <= pages));
  return [...wanted].sort((a, b) => a - b).map((n) => ({ n, href: tableHref({ ...query, page: n }), current: n === page }));
}

function otherMembersOf(members: readonly Member[]): DashboardView['otherMembers'] {
  return members
    .filter((m) => m.status !== 'gone' && !isLearnerMember(m))
    .map((m) => ({
      memberId: m.id,
      name: memberDisplayName(m),
      role: isStaffMember(m) ? 'Staff' : m.notLearner ? 'Not counted as a learner' : 'Other role',
      canOpen: !isStaffMember(m),
    }));
}

interface Loaded {
  snapshot: ModuleSnapshot | null;
  /** Every member of the module, for the staleness check. */
  allMembers: Member[];
  /** The members this viewer may see. */
  members: Member[];
  summaries: MemberSummary[];
  rows: LearnerRow[];
}

async function load(module: Module, viewer: StaffViewer): Promise<Loaded> {
  const [snapshot, allMembers] = await Promise.all([getModuleSnapshot(module.id), listMembers(module.id)]);
  const members = visibleMembers(viewer, allMembers);
  const memberIds = viewer.menteeUserIds === null ? undefined : members.map((m) => m.id);
  const [summaries, alerts] = await Promise.all([
    listMemberSummaries(module.id, memberIds),
    listLiveAlertRules(module.id, { audiences: viewer.audiences, memberIds }),
  ]);
  return { snapshot, allMembers, members, summaries, rows: buildLearnerRows(members, summaries, alerts, snapshot?.weeks ?? []) };
}

function analysisNotice(wait: RecomputeWait | null): string | null {
  if (!wait || wait.state === 'done') return null;
  if (wait.state === 'running') return 'Waymark is updating these figures now; reload the page in a minute to see the latest.';
  return `Waymark could not update these figures (${wait.message}). The last stored figures are shown; check the module settings.`;
}

/**
 * The module dashboard for staff, or for a mentor limited to their mentees: summary, data freshness, the cohort
 * chart and one page of the learner table. Reads the stored analysis; asks for a recomputation only when the
 * roster or the day changed since it was stored.
 */
export async function buildModuleDashboard(module: Module, viewer: StaffViewer, query: LearnerTableQuery, now: Date): Promise<DashboardView> {
  let loaded = await load(module, viewer);
  const zone = loaded.snapshot?.calendar.timeZone ?? module.timeZone;
  let wait: RecomputeWait | null = null;
  // A mentor's summaries cover only their mentees, so only staff pages can judge the whole roster.
  const stale = viewer.menteeUserIds === null ? snapshotIsStale(loaded.snapshot, todayIn(now, zone), loaded.allMembers, loaded.summaries) : !loaded.snapshot;
  if (stale) {
    wait = await recomputeWithin(module.id, now);
    if (wait.state === 'done') loaded = await load(module, viewer);
  }
  return presentDashboard(module, viewer, query, loaded, wait);
}

function presentDashboard(module: Module, viewer: StaffViewer, query: LearnerTableQuery, loaded: Loaded, wait: RecomputeWait | null): DashboardView {
  const { snapshot, rows } = loaded;
  const format = instantFormatter(snapshot?.calendar.timeZone ?? module.timeZone);
  const weeks = judgedWeeks(snapshot?.weeks ?? []);
  const sources = tableSources(snapshot?.lastActivityBySource ?? null);
  const selected = selectRows(rows, query);
  const page = pageOf(selected, query.page);
  const current = { ...query, page: page.page };
  const levelHeading = weeks.last ? `Level, ${weekLabel(weeks.last).toLowerCase()}` : 'Level, last full week';
  const counts = new Map<AlertRule, number>();
  for (const row of rows) for (const rule of row.alertRules) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  const medianNow = medianOf(rows.map((r) => r.level));
  const medianBefore = medianOf(rows.map((r) => r.previousLevel));
  const chart = snapshot ? cohortLevelChart(snapshot.weeks, snapshot.bands) : null;

  return {
    moduleTitle: module.title || module.label || 'This module',
    scopedToMentees: viewer.menteeUserIds !== null,
    isStaff: viewer.isStaff,
    analysedAt: snapshot ? format(snapshot.computedAt) : null,
    analysisNotice: analysisNotice(wait),
    summary: {
      learners: rows.length,
      learnersWithAlerts: rows.filter((r) => r.alertRules.length > 0).length,
      alertsByRule: RULE_ORDER.filter((rule) => rule !== 'sponsoredVisa' || viewer.seesVisa).map((rule) => ({
        rule,
        label: RULE_LABELS[rule],
        count: counts.get(rule) ?? 0,
        href: tableHref({ ...DEFAULT_TABLE_QUERY, alert: rule }),
      })),
      week: weeks.last
        ? { label: weekLabel(weeks.last), level: formatPercent(medianNow), previousLabel: weeks.previous ? weekLabel(weeks.previous) : null, trend: trendOf({ level: medianNow, previousLevel: medianBefore }) }
        : null,
    },
    freshness: dataFreshness(module, snapshot?.lastActivityBySource ?? null, format),
    chart,
    chartHiddenReason: chart
      ? null
      : snapshot && weeks.last
        ? `The cohort chart is hidden: fewer than ${snapshot.thresholds.minCohortSize} learners, so it could point at individuals.`
        : 'The cohort chart appears once the first teaching week is complete.',
    table: {
      levelHeading,
      lastAccessSpan: sources.length,
      columns: {
        name: sortLink(current, 'name', 'Name'),
        level: sortLink(current, 'level', levelHeading),
        change: sortLink(current, 'change', 'Trend'),
        sources: sources.map((source) => ({ ...sortLink(current, `last-${source}` as TableSort, SOURCE_LABELS[source]), source })),
        assignments: sortLink(current, 'assignments', 'Assignments'),
        alerts: sortLink(current, 'alerts', 'Open alerts'),
      },
      rows: page.rows.map((row) => learnerRowView(row, sources)),
      from: page.from,
      to: page.to,
      total: page.total,
      allLearners: rows.length,
      page: page.page,
      pages: page.pages,
      prevHref: page.page > 1 ? tableHref({ ...current, page: page.page - 1 }) : null,
      nextHref: page.page < page.pages ? tableHref({ ...current, page: page.page + 1 }) : null,
      pageLinks: pageLinks(current, page.page, page.pages),
      filters: {
        q: query.q,
        since: query.since ?? '',
        alertOptions: ALERT_FILTERS.filter((f) => f !== 'sponsoredVisa' || viewer.seesVisa).map((value) => ({
          value,
          label: value === 'all' ? 'Everyone' : value === 'any' ? 'Any open alert' : value === 'none' ? 'No open alert' : RULE_LABELS[value as AlertRule],
          selected: query.alert === value,
        })),
        sourceOptions: [
          { value: 'any', label: 'Any source', selected: query.source === 'any' },
          ...SOURCES.filter((s) => s !== 'assignment').map((s) => ({ value: s, label: SOURCE_LABELS[s], selected: query.source === s })),
        ],
        active: Boolean(query.q || query.alert !== 'all' || query.since),
        sort: query.sort,
        dir: query.dir,
      },
      csvHref: tableHref({ ...current, page: 1 }, `${DASHBOARD_PATH}/learners.csv`),
      resetHref: DASHBOARD_PATH,
    },
    otherMembers: viewer.isStaff ? otherMembersOf(loaded.members) : null,
    digest: null,
  };
}

/** Every row the current filter selects, in its order, for the CSV export (not only the page on screen). */
export async function buildLearnerTableExport(module: Module, viewer: StaffViewer, query: LearnerTableQuery): Promise<{ rows: LearnerRowView[]; sources: Source[]; levelHeading: string }> {
  const loaded = await load(module, viewer);
  const weeks = judgedWeeks(loaded.snapshot?.weeks ?? []);
  const sources = tableSources(loaded.snapshot?.lastActivityBySource ?? null);
  return {
    rows: selectRows(loaded.rows, query).map((row) => learnerRowView(row, sources)),
    sources,
    levelHeading: weeks.last ? `Level, ${weekLabel(weeks.last).toLowerCase()}` : 'Level, last full week',
  };
}

/** The digest opt-in state for staff (mentors are not offered the digest). */
export async function digestState(moduleId: string, viewer: StaffViewer, email: string | null): Promise<DashboardView['digest']> {
  if (!viewer.isStaff) return null;
  const subscription = await findDigestSubscription(moduleId, viewer.userId);
  return { subscribed: Boolean(subscription), email: subscription?.email ?? email };
}
