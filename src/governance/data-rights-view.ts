import type { MemberDataCounts } from '../store/member-data-deletion';
import { listModulesOfPlatform } from '../store/member-records-repository';
import { previewErasure, type ErasureOutcome } from './person-erasure';
import { findPerson } from './subject-access-export';

// What the administrator's data-rights page shows about one person: where Waymark holds records and how many.

const COUNT_LABELS: Record<keyof MemberDataCounts, string> = {
  members: 'Module memberships',
  events: 'Activity records',
  dailyActivity: 'Daily totals',
  submissions: 'Assignment submissions',
  alerts: 'Alerts',
  interventions: 'Supportive contacts recorded',
  knownCauses: 'Known reasons for absence',
  dataReports: 'Reports of incorrect data',
  launchSessions: 'Waymark sessions',
  memberSnapshots: 'Stored weekly figures',
  digestSubscriptions: 'Alert digest subscriptions',
  auditEntries: 'Records of viewing their own data',
};

export interface CountRow {
  label: string;
  count: number;
}

export interface PersonHoldingsView {
  userId: string;
  /** `user=<id>`, encoded for links. */
  userQuery: string;
  found: boolean;
  modules: Array<{ memberId: string; moduleId: string; title: string; courseId: string }>;
  counts: CountRow[];
}

const LAUNCH_TOKENS_LABEL = 'Launch details kept by the LTI library (for a day)';

export function countRows(counts: MemberDataCounts, launchTokens: number): CountRow[] {
  const rows = (Object.keys(COUNT_LABELS) as Array<keyof MemberDataCounts>).map((key) => ({ label: COUNT_LABELS[key], count: counts[key] }));
  return [...rows, { label: LAUNCH_TOKENS_LABEL, count: launchTokens }];
}

export async function buildPersonHoldingsView(platformId: string, userId: string): Promise<PersonHoldingsView> {
  const [person, modules, preview] = await Promise.all([findPerson(platformId, userId), listModulesOfPlatform(platformId), previewErasure(platformId, userId)]);
  const byId = new Map(modules.map((m) => [m.id, m]));
  return {
    userId,
    userQuery: new URLSearchParams({ user: userId }).toString(),
    found: person.refs.length > 0,
    modules: person.refs.map((r) => {
      const m = byId.get(r.moduleId);
      return { memberId: r.memberId, moduleId: r.moduleId, title: m?.title || m?.label || '', courseId: m?.contextId ?? '' };
    }),
    counts: countRows(preview.counts, preview.launchTokens),
  };
}

export function erasureResultView(userId: string, outcome: ErasureOutcome): { userId: string; modules: number; counts: CountRow[] } {
  return { userId, modules: outcome.modules, counts: countRows(outcome.counts, outcome.launchTokens) };
}
