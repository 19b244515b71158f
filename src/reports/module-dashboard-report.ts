import type { MemberSummary, ModuleSnapshot } from '../store/module-snapshot-repository';
import { liveAlertRulesForPage, moduleAnalysisForPage, moduleMembersForPage } from '../store/cached-module-reads';
import { listNewDataReports } from '../store/data-report-repository';
import { listContactDays } from '../store/intervention-repository';
import { followUpsDue } from './follow-ups-due';
import { findDigestSubscription } from '../store/digest-subscription-repository';
import { lastImportBySource } from '../store/import-run-repository';
import { SOURCES, type AlertRule, type DayKey, type Source } from '../engagement';
import type { Member, Module } from '../store/types';
import { cohortLevelChart, weekLabel, type ChartView } from './chart-view';
import { dataFreshness, type FreshnessLine } from './data-freshness';
import { formatDayLong, formatPercent, instantFormatter, medianOf } from './display-format';
import { todayIn } from './engagement-members';
import { buildLearnerRows, judgedWeeks, memberDisplayName } from './learner-rows';
import { learnerRowView, tableSources, trendOf, type LearnerRowView, type TrendView } from './learner-row-view';
import { ALERT_FILTERS, DEFAULT_TABLE_QUERY, pageOf, selectRows, type LearnerRow, type LearnerTableQuery, type TableSort } from './learner-table';
import { DASHBOARD_PATH, pageLinks, sortLink, tableHref, type SortLink } from './learner-table-links';
import { isLearnerMember, isStaffMember } from '../store/member-classification';
import { recomputeWithin, snapshotIsStale, type RecomputeWait } from './snapshot-freshness';
import { visibleMembers, type StaffViewer } from './staff-viewer';
import { RULE_LABELS, RULE_ORDER, SOURCE_LABELS } from './staff-wording';

export interface DashboardView {
  moduleTitle: string;
  scopedToMentees: boolean;
  isStaff: boolean;
  analysedAt: string | null;
  analysisNotice: string | null;
  /** Students' reports of incorrect data waiting for someone on the staff to look. */
  dataReports: Array<{ memberId: string; name: string; sent: string }>;
  /** Learners whose follow-up day has come with no contact recorded since. */
  followUps: Array<{ memberId: string; name: string; due: string }>;
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
  allMembers: readonly Member[];
  /** The members this viewer may see. */
  members: readonly Member[];
  summaries: readonly MemberSummary[];
  /** Every member's summary, for the staleness check. */
  allSummaries: readonly MemberSummary[];
  lastImports: Partial<Record<Source, Date>>;
  rows: LearnerRow[];
}

async function load(module: Module, viewer: StaffViewer): Promise<Loaded> {
  // Independent reads at once, the large ones through the page cache; a mentor's scope is applied afterwards.
  const [{ list: allMembers }, stored, liveAlerts, lastImports] = await Promise.all([
    moduleMembersForPage(module.id),
    moduleAnalysisForPage(module.id),
    liveAlertRulesForPage(module.id, viewer.audiences),
    lastImportBySource(module.id),
  ]);
  const members = visibleMembers(viewer, allMembers);
  const visible = new Set(members.map((m) => m.id));
  const snapshot = stored?.snapshot ?? null;
  const allSummaries = stored?.summaries ?? [];
  const summaries = viewer.menteeUserIds === null ? allSummaries : allSummaries.filter((s) => visible.has(s.memberId));
  const alerts = viewer.menteeUserIds === null ? liveAlerts : liveAlerts.filter((a) => visible.has(a.memberId));
  return { snapshot, allMembers, members, summaries, allSummaries, lastImports, rows: buildLearnerRows(members, summaries, alerts, snapshot?.weeks ?? []) };
}

/** What waits for staff on the dashboard: students' unread reports of wrong data and follow-ups that came due. */
interface WaitingForStaff {
  reports: Array<{ memberId: string; name: string; createdAt: Date }>;
  followUps: Array<{ memberId: string; name: string; due: DayKey }>;
}

interface WaitingReads {
  newReports: Awaited<ReturnType<typeof listNewDataReports>>;
  contacts: Awaited<ReturnType<typeof listContactDays>>;
}

async function readWaitingForStaff(moduleId: string): Promise<WaitingReads> {
  const [newReports, contacts] = await Promise.all([listNewDataReports(moduleId), listContactDays(moduleId)]);
  return { newReports, contacts };
}

/** Of what waits, only the learners this viewer sees (a mentor's mentees), named as the learner table names them. */
function waitingFor(members: readonly Member[], { newReports, contacts }: WaitingReads, today: DayKey): WaitingForStaff {
  const names = new Map(members.map((m) => [m.id, m.name || m.userId]));
  return {
    reports: newReports.filter((r) => names.has(r.memberId)).map((r) => ({ memberId: r.memberId, name: names.get(r.memberId)!, createdAt: r.createdAt })),
    followUps: followUpsDue(contacts, today)
      .filter((f) => names.has(f.memberId))
      .map((f) => ({ memberId: f.memberId, name: names.get(f.memberId)!, due: f.due })),
  };
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
  // Read once, beside the first load: a recomputation changes neither reports nor contacts.
  const [first, waitingReads] = await Promise.all([load(module, viewer), readWaitingForStaff(module.id)]);
  let loaded = first;
  const zone = loaded.snapshot?.calendar.timeZone ?? module.timeZone;
  let wait: RecomputeWait | null = null;
  const stale = snapshotIsStale(loaded.snapshot, module, todayIn(now, zone), loaded.allMembers, loaded.allSummaries);
  if (stale) {
    wait = await recomputeWithin(module.id, now);
    if (wait.state === 'done') loaded = await load(module, viewer);
  }
  const waiting = waitingFor(loaded.members, waitingReads, todayIn(now, loaded.snapshot?.calendar.timeZone ?? module.timeZone));
  return presentDashboard(module, viewer, query, loaded, waiting, wait);
}

function presentDashboard(module: Module, viewer: StaffViewer, query: LearnerTableQuery, loaded: Loaded, waiting: WaitingForStaff, wait: RecomputeWait | null): DashboardView {
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
    dataReports: waiting.reports.map((r) => ({ memberId: r.memberId, name: r.name, sent: format(r.createdAt) })),
    followUps: waiting.followUps.map((f) => ({ memberId: f.memberId, name: f.name, due: formatDayLong(f.due) })),
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
    freshness: dataFreshness(module, snapshot?.lastActivityBySource ?? null, format, loaded.lastImports),
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
