import { Types, trusted } from 'mongoose';
import { WHOLE_RESULT_BATCH } from './whole-result';
import { markModuleViewChanged, raiseModuleViewVersion } from './module-repository';
import { MemberModel } from './models/member-model';
import { insertedUnlessDuplicate } from './duplicate-key';
import { memberWriteKey, queuedWrite } from './document-write-queue';
import type { Member, MemberStatus } from './types';

function toMember(d: Record<string, unknown>): Member {
  return {
    id: String(d._id),
    moduleId: String(d.moduleId),
    userId: String(d.userId),
    name: String(d.name ?? ''),
    givenName: String(d.givenName ?? ''),
    familyName: String(d.familyName ?? ''),
    email: String(d.email ?? ''),
    sourcedId: String(d.sourcedId ?? ''),
    rosterRoles: (d.rosterRoles as string[]) ?? [],
    launchRoles: (d.launchRoles as string[]) ?? [],
    launchedAsStaff: Boolean(d.launchedAsStaff),
    notLearner: Boolean(d.notLearner),
    status: (d.status as MemberStatus) ?? 'active',
    inRosterSince: (d.inRosterSince as Date | null) ?? null,
    lastInRosterAt: (d.lastInRosterAt as Date | null) ?? null,
    leftAt: (d.leftAt as Date | null) ?? null,
    firstLaunchAt: (d.firstLaunchAt as Date | null) ?? null,
    lastLaunchAt: (d.lastLaunchAt as Date | null) ?? null,
    sponsoredVisa: Boolean(d.sponsoredVisa),
  };
}

export interface LaunchingPerson {
  moduleId: string;
  userId: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  launchRoles: string[];
  isStaff: boolean;
  at: Date;
  /** The member's id in this module for this user, when the caller knows it (a page cache's roster). */
  knownMemberId?: string;
}

export interface LaunchedMember {
  member: Member;
  /** The members version this launch raised (its write changed what pages list), or null if it left it alone. */
  membersVersion: number | null;
}

/** Records who launched; staff status is sticky because Moodle's roster shows non-editing teachers as learners. */
export async function upsertMemberFromLaunch(p: LaunchingPerson): Promise<LaunchedMember> {
  const set: Record<string, unknown> = { launchRoles: p.launchRoles, lastLaunchAt: p.at, status: 'active', leftAt: null };
  if (p.name) set.name = p.name;
  if (p.givenName) set.givenName = p.givenName;
  if (p.familyName) set.familyName = p.familyName;
  if (p.email) set.email = p.email;
  if (p.isStaff) set.launchedAsStaff = true;
  const filter = { moduleId: new Types.ObjectId(p.moduleId), userId: p.userId };
  // A member already known is updated by _id, which FerretDB v1 finds in SQLite instead of decoding every member;
  // one the caller does not know is most likely new, and inserted (the unique index answers, with no scan).
  if (!p.knownMemberId) {
    const created = new MemberModel({ ...filter, ...set, firstLaunchAt: p.at });
    if (await insertedUnlessDuplicate(() => created.save())) {
      return { member: toMember(created.toObject() as Record<string, unknown>), membersVersion: await raiseModuleViewVersion(p.moduleId, 'members') };
    }
  }
  // Known to the caller, or found now (the insert met an existing member): updated by _id in that member's write
  // queue, so a flag staff set at the same moment is not undone (FerretDB v1 rewrites the whole document).
  const knownId = p.knownMemberId ?? (await MemberModel.findOne(filter, { _id: 1 }).lean())?._id.toString();
  const known = knownId
    ? ((await queuedWrite(memberWriteKey(knownId), () => MemberModel.findOneAndUpdate({ _id: new Types.ObjectId(knownId) }, { $set: set }, { new: false }).lean())) as Record<string, unknown> | null)
    : null;
  const before = known ?? ((await MemberModel.findOneAndUpdate(filter, { $set: set, $setOnInsert: { firstLaunchAt: p.at } }, { upsert: true, new: false }).lean()) as Record<string, unknown> | null);
  // A member the roster brought in first gets their first launch now; a plain update cannot set a field only when empty.
  // By _id alone (a scan in SQLite, not a decode in Go, on FerretDB v1): two racing first launches differ by moments.
  const firstLaunch = before && !before.firstLaunchAt ? { firstLaunchAt: p.at } : null;
  if (firstLaunch) await queuedWrite(memberWriteKey(String(before!._id)), () => MemberModel.updateOne({ _id: before!._id }, { $set: firstLaunch }));
  // Most launches change only lastLaunchAt, which no list shows: pages keep their held roster then.
  const changedOnPages = before === null || Object.keys(set).some((k) => k !== 'lastLaunchAt' && JSON.stringify(before[k] ?? null) !== JSON.stringify(set[k]));
  const membersVersion = changedOnPages ? await raiseModuleViewVersion(p.moduleId, 'members') : null;
  const after = before ? { ...before, ...set, ...firstLaunch } : await MemberModel.findOne(filter).lean();
  return { member: toMember(after as Record<string, unknown>), membersVersion };
}

export interface RosterEntry {
  userId: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  sourcedId: string;
  roles: string[];
  status: 'active' | 'inactive';
}

export interface RosterApplyResult {
  added: number;
  updated: number;
  markedGone: number;
}

const sameRoles = (a: readonly string[] | undefined, b: readonly string[]) => (a ?? []).length === b.length && b.every((r, i) => (a ?? [])[i] === r);

// FerretDB v1 rewrites each member an update matches with a scan of the whole collection, all in one write
// transaction (about 30 ms a member at 1,700 members): stamping a thousand members, or marking a hundred gone, in
// one update held SQLite's write lock for seconds, and launches meanwhile failed with SQLITE_BUSY. So those
// updates go a few members at a time, and the "last in the roster" date is kept to the hour.
const LAST_IN_ROSTER_PRECISION_MS = 3_600_000;
const MEMBERS_PER_UPDATE = 20;

/** updateMany over these members, a few per write, each filter also holding `also`; returns how many changed. */
async function updateMembersInBatches(ids: readonly unknown[], also: Record<string, unknown>, set: Record<string, unknown>): Promise<number> {
  let modified = 0;
  for (let i = 0; i < ids.length; i += MEMBERS_PER_UPDATE) {
    const res = await MemberModel.updateMany({ _id: trusted({ $in: ids.slice(i, i + MEMBERS_PER_UPDATE) }), ...also }, { $set: set });
    modified += res.modifiedCount;
  }
  return modified;
}

/**
 * Applies a complete roster: new members are inserted, changed ones updated, absent ones marked gone (history
 * kept). A handful of commands whatever the roster's size: an upsert per member made FerretDB scan the members
 * collection once per member (FerretDB v1 reads the whole collection for every filter).
 */
export async function applyRoster(moduleId: string, roster: RosterEntry[], at: Date): Promise<RosterApplyResult> {
  const moduleObjectId = new Types.ObjectId(moduleId);
  const entries = [...new Map(roster.map((r) => [r.userId, r])).values()];
  const existing = await MemberModel.find(
    { moduleId: moduleObjectId },
    { userId: 1, name: 1, givenName: 1, familyName: 1, email: 1, sourcedId: 1, rosterRoles: 1, status: 1, leftAt: 1, lastInRosterAt: 1 },
  )
    .batchSize(WHOLE_RESULT_BATCH)
    .lean();
  const byUserId = new Map(existing.map((m) => [String(m.userId), m]));
  const fieldsOf = (r: RosterEntry) => ({ name: r.name, givenName: r.givenName, familyName: r.familyName, email: r.email, sourcedId: r.sourcedId, rosterRoles: r.roles, status: r.status, leftAt: null });

  const fresh = entries.filter((r) => !byUserId.has(r.userId));
  const changed = entries.flatMap((r) => {
    const m = byUserId.get(r.userId);
    if (!m) return [];
    const f = fieldsOf(r);
    const same = m.name === f.name && m.givenName === f.givenName && m.familyName === f.familyName && m.email === f.email && m.sourcedId === f.sourcedId && m.status === f.status && m.leftAt === null && sameRoles(m.rosterRoles, f.rosterRoles);
    return same ? [] : [{ _id: m._id, fields: f }];
  });

  if (fresh.length > 0) {
    try {
      await MemberModel.insertMany(fresh.map((r) => ({ moduleId: moduleObjectId, userId: r.userId, ...fieldsOf(r), inRosterSince: at, lastInRosterAt: at })), { ordered: false });
    } catch (err) {
      // A launch or another sync created some of them meanwhile: fall back to upserting those.
      if ((err as { code?: number; writeErrors?: unknown }).code !== 11000 && !(err as { writeErrors?: unknown }).writeErrors) throw err;
      await MemberModel.bulkWrite(
        fresh.map((r) => ({ updateOne: { filter: { moduleId: moduleObjectId, userId: r.userId }, update: { $set: fieldsOf(r), $setOnInsert: { inRosterSince: at } }, upsert: true } })) as never,
        { ordered: false },
      );
    }
  }
  // Cast: mongoose's inferred schema types do not model nullable defaults.
  if (changed.length > 0) await MemberModel.bulkWrite(changed.map((c) => ({ updateOne: { filter: { _id: c._id }, update: { $set: c.fields } } })) as never, { ordered: false });
  const present = new Set(entries.map((r) => r.userId));
  const dueForStamp = existing.filter((m) => present.has(String(m.userId)) && (!m.lastInRosterAt || at.getTime() - m.lastInRosterAt.getTime() >= LAST_IN_ROSTER_PRECISION_MS));
  await updateMembersInBatches(dueForStamp.map((m) => m._id), {}, { lastInRosterAt: at });
  // Members a launch adds while this runs are left for the next sync: they were not in the roster it read.
  const leavers = existing.filter((m) => !present.has(String(m.userId)) && m.status !== 'gone').map((m) => m._id);
  // trusted(): operators we build ourselves, which the global sanitizeFilter would otherwise turn into $eq.
  const markedGone = await updateMembersInBatches(leavers, { status: trusted({ $ne: 'gone' }) }, { status: 'gone', leftAt: at });
  // Only lastInRosterAt moved when nothing else did, and no page shows it.
  if (fresh.length > 0 || changed.length > 0 || markedGone > 0) await markModuleViewChanged(moduleId, 'members');
  return { added: fresh.length, updated: entries.length - fresh.length, markedGone };
}

/** The fields listMembers orders members by, each ascending. */
export const MEMBER_LIST_ORDER = ['familyName', 'name', 'userId'] as const;

export async function listMembers(moduleId: string): Promise<Member[]> {
  const docs = await MemberModel.find({ moduleId: new Types.ObjectId(moduleId) }).sort(Object.fromEntries(MEMBER_LIST_ORDER.map((f) => [f, 1]))).batchSize(WHOLE_RESULT_BATCH).lean();
  return docs.map((d) => toMember(d as Record<string, unknown>));
}

export async function findMemberById(moduleId: string, memberId: string): Promise<Member | null> {
  if (!Types.ObjectId.isValid(memberId)) return null;
  // By _id alone, then the module checked here: FerretDB v1 answers a lone {_id} filter in SQLite, any other by
  // decoding every member in Go.
  const doc = await MemberModel.findById(new Types.ObjectId(memberId)).lean();
  return doc && String(doc.moduleId) === moduleId ? toMember(doc as Record<string, unknown>) : null;
}

export async function findMemberByUserId(moduleId: string, userId: string): Promise<Member | null> {
  const doc = await MemberModel.findOne({ moduleId: new Types.ObjectId(moduleId), userId }).lean();
  return doc ? toMember(doc as Record<string, unknown>) : null;
}

/**
 * Members marked sponsored-visa across the given modules and not gone: one read for the visa-compliance
 * overview, which lists only them (callers still judge who is a learner).
 */
export async function listSponsoredVisaMembers(moduleIds: readonly string[]): Promise<Member[]> {
  if (moduleIds.length === 0) return [];
  const docs = await MemberModel.find({ moduleId: trusted({ $in: moduleIds.map((id) => new Types.ObjectId(id)) }), sponsoredVisa: true, status: trusted({ $ne: 'gone' }) })
    .batchSize(WHOLE_RESULT_BATCH)
    .lean();
  return docs.map((d) => toMember(d as Record<string, unknown>));
}

export async function findMembersByUserIds(moduleId: string, userIds: string[]): Promise<Member[]> {
  const docs = await MemberModel.find({ moduleId: new Types.ObjectId(moduleId), userId: trusted({ $in: userIds }) }).lean();
  return docs.map((d) => toMember(d as Record<string, unknown>));
}
