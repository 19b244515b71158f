import type { AlertRule, AlertState } from '../engagement';
import { alertsForPage, moduleMembersForPage } from '../store/cached-module-reads';
import type { Module } from '../store/types';
import { alertView, type AlertView } from './alert-view';
import { instantFormatter } from './display-format';
import { memberDisplayName } from './learner-rows';
import { visibleMembers, type StaffViewer } from './staff-viewer';
import { RULE_LABELS, RULE_ORDER } from './staff-wording';

export const QUEUE_TABS = ['attention', 'contacted', 'closed'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

const TAB_STATES: Record<QueueTab, readonly AlertState[]> = {
  attention: ['open', 'acknowledged'],
  contacted: ['contacted'],
  closed: ['resolved', 'dismissed'],
};

const TAB_LABELS: Record<QueueTab, string> = { attention: 'Needs attention', contacted: 'Contacted', closed: 'Closed' };

/** Enough cards to work through in one sitting without a very long page. */
export const QUEUE_PAGE_SIZE = 25;

export interface AlertQueueQuery {
  tab: QueueTab;
  rule: AlertRule | 'all';
  page: number;
}

export interface AlertQueueView {
  tabs: Array<{ key: QueueTab; label: string; count: number; href: string; current: boolean }>;
  ruleOptions: Array<{ value: string; label: string; selected: boolean }>;
  tab: QueueTab;
  tabLabel: string;
  alerts: AlertView[];
  from: number;
  to: number;
  total: number;
  prevHref: string | null;
  nextHref: string | null;
  scopedToMentees: boolean;
}

export function queueHref(q: AlertQueueQuery): string {
  const params = new URLSearchParams();
  if (q.tab !== 'attention') params.set('tab', q.tab);
  if (q.rule !== 'all') params.set('rule', q.rule);
  if (q.page > 1) params.set('page', String(q.page));
  const text = params.toString();
  return text ? `/app/module/alerts?${text}` : '/app/module/alerts';
}

/** The alerts this viewer may act on, by state, newest first; sponsored-visa alerts only for visa-compliance staff. */
export async function buildAlertQueue(module: Module, viewer: StaffViewer, query: AlertQueueQuery): Promise<AlertQueueView> {
  const [{ list: allMembers }, moduleAlerts] = await Promise.all([
    moduleMembersForPage(module.id),
    alertsForPage(module.id, { audiences: viewer.audiences, rules: query.rule === 'all' ? undefined : [query.rule] }),
  ]);
  const members = visibleMembers(viewer, allMembers);
  const names = new Map(members.map((m) => [m.id, memberDisplayName(m)]));
  // A mentor's scope is applied here, after both reads ran side by side.
  const all = viewer.menteeUserIds === null ? moduleAlerts : moduleAlerts.filter((a) => names.has(a.memberId));
  const inTab = (tab: QueueTab) => all.filter((a) => TAB_STATES[tab].includes(a.state));
  const selected = inTab(query.tab);
  const pages = Math.max(1, Math.ceil(selected.length / QUEUE_PAGE_SIZE));
  const page = Math.min(Math.max(1, query.page), pages);
  const shown = selected.slice((page - 1) * QUEUE_PAGE_SIZE, page * QUEUE_PAGE_SIZE);
  const format = instantFormatter(module.timeZone);
  return {
    tabs: QUEUE_TABS.map((key) => ({ key, label: TAB_LABELS[key], count: inTab(key).length, href: queueHref({ ...query, tab: key, page: 1 }), current: key === query.tab })),
    ruleOptions: [
      { value: 'all', label: 'Every rule', selected: query.rule === 'all' },
      ...RULE_ORDER.filter((r) => r !== 'sponsoredVisa' || viewer.seesVisa).map((r) => ({ value: r, label: RULE_LABELS[r], selected: query.rule === r })),
    ],
    tab: query.tab,
    tabLabel: TAB_LABELS[query.tab],
    alerts: shown.map((a) => alertView(a, names.get(a.memberId) ?? 'A former member', format)),
    from: shown.length ? (page - 1) * QUEUE_PAGE_SIZE + 1 : 0,
    to: (page - 1) * QUEUE_PAGE_SIZE + shown.length,
    total: selected.length,
    prevHref: page > 1 ? queueHref({ ...query, page: page - 1 }) : null,
    nextHref: page < pages ? queueHref({ ...query, page: page + 1 }) : null,
    scopedToMentees: viewer.menteeUserIds !== null,
  };
}
