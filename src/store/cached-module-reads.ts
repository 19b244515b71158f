import type { AlertAudience, AlertRule } from '../engagement';
import { LIVE_ALERT_STATES, listAlerts, type AlertRecord } from './alert-repository';
import { findMemberById, listMembers, MEMBER_LIST_ORDER } from './member-repository';
import { getMemberSnapshot, getModuleSnapshotWithSummaries, listMemberSnapshotsOfGeneration, type MemberSnapshot, type MemberSummary, type ModuleSnapshot } from './module-snapshot-repository';
import { patchHeldModuleRead, readHeldOrThrough, readThroughModuleCache } from './module-read-cache';
import type { Member } from './types';

// The reads staff and student pages make on every view, through the per-process cache (module-read-cache).
// What they return is frozen and shared: callers copy before they sort or change anything. On FerretDB v1 even a
// lookup by _id reads the whole collection (its SQLite index on _id is not the expression its queries use), so
// one member or one member's figures come from the module's held list too.

const EVERY_AUDIENCE: readonly AlertAudience[] = ['staff', 'visa-compliance'];

export interface ModuleMembers {
  list: readonly Member[];
  byId: ReadonlyMap<string, Member>;
  byUserId: ReadonlyMap<string, Member>;
}

function membersOf(list: readonly Member[]): ModuleMembers {
  return { list, byId: new Map(list.map((m) => [m.id, m])), byUserId: new Map(list.map((m) => [m.userId, m])) };
}

const loadMembers = (moduleId: string) => async () => membersOf(await listMembers(moduleId));

export function moduleMembersForPage(moduleId: string): Promise<ModuleMembers> {
  return readThroughModuleCache(moduleId, 'members', 'members', loadMembers(moduleId));
}

/**
 * The member id a launching user most likely has, from the roster this process holds even if a newer version
 * exists: launches racing each other would otherwise each read the roster again. A wrong hint costs a write by
 * filter (upsertMemberFromLaunch checks it), never a wrong member.
 */
export async function launchingMemberIdHint(moduleId: string, userId: string): Promise<string | undefined> {
  return (await readHeldOrThrough(moduleId, 'members', 'members', loadMembers(moduleId))).byUserId.get(userId)?.id;
}

/** Orders members as listMembers does, comparing strings by their UTF-8 bytes as MongoDB does. */
function compareAsListed(a: Member, b: Member): number {
  for (const field of MEMBER_LIST_ORDER) {
    const order = Buffer.compare(Buffer.from(a[field], 'utf8'), Buffer.from(b[field], 'utf8'));
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * A launch wrote this member and raised the members version to `membersVersion`: the roster this process holds
 * takes the member in place of a reload, when no other write came in between.
 */
export function noteMemberWrittenByLaunch(member: Member, membersVersion: number): void {
  patchHeldModuleRead<ModuleMembers>(member.moduleId, 'members', 'members', membersVersion - 1, membersVersion, (held) => {
    const list = [...held.list.filter((m) => m.id !== member.id), member].sort(compareAsListed);
    return membersOf(list);
  });
}

/**
 * One member of the module as staff pages list them (null if the id names no member of it). Their latest launch
 * time may lag: a repeat launch does not reload the roster, so a student's own panel reads findMemberById.
 */
export async function memberForStaffPage(moduleId: string, memberId: string): Promise<Member | null> {
  const members = await moduleMembersForPage(moduleId);
  // A member added since the version was read is looked up directly rather than reported missing.
  return members.byId.get(memberId) ?? (await findMemberById(moduleId, memberId));
}

export function moduleAnalysisForPage(moduleId: string): Promise<{ snapshot: ModuleSnapshot; summaries: readonly MemberSummary[]; generation: string | null } | null> {
  return readThroughModuleCache(moduleId, 'analysis', 'module', () => getModuleSnapshotWithSummaries(moduleId));
}

/** Every alert of the module, newest first. */
function moduleAlerts(moduleId: string): Promise<readonly AlertRecord[]> {
  return readThroughModuleCache(moduleId, 'alerts', 'alerts', () => listAlerts(moduleId, { audiences: EVERY_AUDIENCE }));
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

/** One member's stored figures from the module's current analysis (read directly if the page cache lacks them). */
export async function memberFiguresForPage(moduleId: string, memberId: string): Promise<MemberSnapshot | null> {
  const stored = await moduleAnalysisForPage(moduleId);
  const generation = stored?.generation;
  if (!generation) return getMemberSnapshot(moduleId, memberId);
  const all = await readThroughModuleCache(moduleId, 'analysis', `members-of-${generation}`, () => listMemberSnapshotsOfGeneration(moduleId, generation));
  return all.get(memberId) ?? (await getMemberSnapshot(moduleId, memberId));
}
