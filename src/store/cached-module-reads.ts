import type { AlertAudience, AlertRule } from '../engagement';
import { LIVE_ALERT_STATES, listAlerts, type AlertRecord } from './alert-repository';
import { listMembers } from './member-repository';
import { getModuleSnapshotWithSummaries, type MemberSummary, type ModuleSnapshot } from './module-snapshot-repository';
import { readThroughModuleCache } from './module-read-cache';
import type { Member } from './types';

// The bulk reads staff and student pages make on every view, through the per-process cache (module-read-cache).
// What they return is frozen and shared: callers copy before they sort or change anything. One member is read
// by findMemberById instead: a lookup by _id, and always current (a student's panel shows their latest launch).

const EVERY_AUDIENCE: readonly AlertAudience[] = ['staff', 'visa-compliance'];

export interface ModuleMembers {
  list: readonly Member[];
  byId: ReadonlyMap<string, Member>;
}

export function moduleMembersForPage(moduleId: string): Promise<ModuleMembers> {
  return readThroughModuleCache(moduleId, 'members', async () => {
    const list = await listMembers(moduleId);
    return { list, byId: new Map(list.map((m) => [m.id, m])) };
  });
}

export function moduleAnalysisForPage(moduleId: string): Promise<{ snapshot: ModuleSnapshot; summaries: readonly MemberSummary[] } | null> {
  return readThroughModuleCache(moduleId, 'analysis', () => getModuleSnapshotWithSummaries(moduleId));
}

/** Every alert of the module, newest first. */
function moduleAlerts(moduleId: string): Promise<readonly AlertRecord[]> {
  return readThroughModuleCache(moduleId, 'alerts', () => listAlerts(moduleId, { audiences: EVERY_AUDIENCE }));
}

/** Live alerts of the audiences given, as [memberId, rule] pairs. */
export async function liveAlertRulesForPage(moduleId: string, audiences: readonly AlertAudience[]): Promise<Array<{ memberId: string; rule: AlertRule; audience: AlertAudience }>> {
  return (await moduleAlerts(moduleId))
    .filter((a) => audiences.includes(a.audience) && LIVE_ALERT_STATES.includes(a.state))
    .map((a) => ({ memberId: a.memberId, rule: a.rule, audience: a.audience }));
}

/** The module's alerts of the audiences given (optionally one member's, or some rules'), newest first, with their history. */
export async function alertsForPage(moduleId: string, f: { audiences: readonly AlertAudience[]; memberId?: string; rules?: readonly AlertRule[] }): Promise<readonly AlertRecord[]> {
  return (await moduleAlerts(moduleId)).filter(
    (a) => f.audiences.includes(a.audience) && (f.memberId === undefined || a.memberId === f.memberId) && (f.rules === undefined || f.rules.includes(a.rule)),
  );
}
