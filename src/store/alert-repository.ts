import { Types, trusted } from 'mongoose';
import { WHOLE_RESULT_BATCH } from './whole-result';
import { markModuleViewChanged } from './module-repository';
import { AlertModel } from './models/alert-model';
import { duplicateWritesOf } from './duplicate-key';
import { moduleAlertsWriteKey, queuedWrite } from './document-write-queue';
import type { AlertAudience, AlertCandidate, AlertClosure, AlertEvidence, AlertRefresh, AlertRule, AlertState, DayKey, StoredAlert } from '../engagement';

export interface AlertHistoryEntry {
  at: Date;
  kind: 'opened' | 'refreshed' | 'state' | 'closed';
  state: AlertState;
  /** Null when Waymark itself made the change. */
  actorUserId: string | null;
  actorName: string;
  note: string;
}

export interface AlertRecord {
  id: string;
  moduleId: string;
  memberId: string;
  rule: AlertRule;
  audience: AlertAudience;
  key: string;
  state: AlertState;
  since: DayKey;
  evidence: AlertEvidence;
  openedAt: Date;
  closedAt: Date | null;
  closedBy: 'waymark' | 'staff' | null;
  closeExplanation: string;
  dismissReason: string;
  history: AlertHistoryEntry[];
}

export interface Actor {
  userId: string;
  name: string;
}

/** States in which staff are still working on an alert. */
export const LIVE_ALERT_STATES: readonly AlertState[] = ['open', 'acknowledged', 'contacted'];

function toAlert(d: Record<string, unknown>): AlertRecord {
  const evidence = (d.evidence as { text?: string; figures?: AlertEvidence['figures'] } | undefined) ?? {};
  return {
    id: String(d._id),
    moduleId: String(d.moduleId),
    memberId: String(d.memberId),
    rule: d.rule as AlertRule,
    audience: d.audience as AlertAudience,
    key: String(d.key),
    state: d.state as AlertState,
    since: String(d.since),
    evidence: { text: evidence.text ?? '', figures: evidence.figures ?? {} },
    openedAt: d.openedAt as Date,
    closedAt: (d.closedAt as Date | null) ?? null,
    closedBy: (d.closedBy as AlertRecord['closedBy']) ?? null,
    closeExplanation: String(d.closeExplanation ?? ''),
    dismissReason: String(d.dismissReason ?? ''),
    history: ((d.history as AlertHistoryEntry[] | undefined) ?? []).map((h) => ({
      at: h.at,
      kind: h.kind,
      state: h.state,
      actorUserId: h.actorUserId ?? null,
      actorName: h.actorName ?? '',
      note: h.note ?? '',
    })),
  };
}

/** Every alert of a module in the shape reconciliation reads (closed ones too: a dismissed episode never reopens). */
export async function listAlertsForReconciliation(moduleId: string): Promise<Array<StoredAlert & { closedBy: 'waymark' | 'staff' | null }>> {
  const docs = await AlertModel.find(
    { moduleId: new Types.ObjectId(moduleId) },
    { memberId: 1, rule: 1, audience: 1, key: 1, state: 1, since: 1, evidence: 1, closedBy: 1 },
  ).lean();
  return docs.map((d) => ({
    closedBy: (d.closedBy as 'waymark' | 'staff' | null) ?? null,
    id: String(d._id),
    memberId: String(d.memberId),
    rule: d.rule as AlertRule,
    audience: d.audience as AlertAudience,
    key: d.key,
    state: d.state as AlertState,
    since: d.since,
    evidence: { text: d.evidence?.text ?? '', figures: (d.evidence?.figures as AlertEvidence['figures']) ?? {} },
  }));
}

/** Opens new episodes in one insert; one already opened by a concurrent recomputation is left as it is. Returns how many were new. */
export async function openAlerts(moduleId: string, candidates: readonly AlertCandidate[], at: Date): Promise<number> {
  if (candidates.length === 0) return 0;
  const moduleObjectId = new Types.ObjectId(moduleId);
  const docs = candidates.map((c) => ({
    moduleId: moduleObjectId,
    memberId: new Types.ObjectId(c.memberId),
    audience: c.audience,
    key: c.key,
    rule: c.rule,
    state: 'open',
    since: c.since,
    evidence: { text: c.evidence.text, figures: c.evidence.figures },
    openedAt: at,
    history: [{ at, kind: 'opened', state: 'open', actorUserId: null, actorName: 'Waymark', note: c.evidence.text }],
  }));
  try {
    // One insert, not an upsert per alert: FerretDB commits each write on its own, so this is many times faster.
    const inserted = await AlertModel.insertMany(docs, { ordered: false });
    return inserted.length;
  } catch (err) {
    // The unique index turned away episodes another recomputation opened first: exactly what we want.
    if (duplicateWritesOf(err) !== null) return (err as { insertedDocs?: unknown[] }).insertedDocs?.length ?? 0;
    throw err;
  } finally {
    await markModuleViewChanged(moduleId, 'alerts');
  }
}

/**
 * Reopens episodes Waymark itself had closed and whose rule holds again (a known cause removed, a threshold put
 * back): staff see the same alert with its history rather than a duplicate.
 */
export async function reopenAlerts(moduleId: string, reopenings: ReadonlyArray<{ id: string; candidate: AlertCandidate }>, at: Date): Promise<void> {
  if (reopenings.length === 0) return;
  const moduleObjectId = new Types.ObjectId(moduleId);
  const ops = reopenings.map(({ id, candidate }) => ({
    updateOne: {
      filter: { _id: new Types.ObjectId(id), moduleId: moduleObjectId, closedBy: 'waymark' },
      update: {
        $set: { state: 'open', closedAt: null, closedBy: null, closeExplanation: '', since: candidate.since, evidence: { text: candidate.evidence.text, figures: candidate.evidence.figures } },
        $push: { history: { at, kind: 'opened', state: 'open', actorUserId: null, actorName: 'Waymark', note: `The rule holds again. ${candidate.evidence.text}` } },
      },
    },
  }));
  await queuedWrite(moduleAlertsWriteKey(moduleId), () => AlertModel.bulkWrite(ops as never, { ordered: false }));
  await markModuleViewChanged(moduleId, 'alerts');
}

/** Fresh evidence for live alerts whose figures changed (daily, as a gap grows), so it is not added to the history. */
export async function refreshAlerts(moduleId: string, refreshes: readonly AlertRefresh[], at: Date): Promise<void> {
  if (refreshes.length === 0) return;
  const moduleObjectId = new Types.ObjectId(moduleId);
  const ops = refreshes.map((r) => ({
    updateOne: {
      filter: { _id: new Types.ObjectId(r.id), moduleId: moduleObjectId, state: trusted({ $in: LIVE_ALERT_STATES }) },
      update: { $set: { evidence: { text: r.candidate.evidence.text, figures: r.candidate.evidence.figures }, since: r.candidate.since, evidenceUpdatedAt: at } },
    },
  }));
  await queuedWrite(moduleAlertsWriteKey(moduleId), () => AlertModel.bulkWrite(ops as never, { ordered: false }));
  await markModuleViewChanged(moduleId, 'alerts');
}

/** Closes live alerts whose rule stopped holding, saying why; an alert staff closed meanwhile is not touched. */
export async function closeAlerts(moduleId: string, closures: readonly AlertClosure[], at: Date): Promise<void> {
  if (closures.length === 0) return;
  const moduleObjectId = new Types.ObjectId(moduleId);
  const ops = closures.map((c) => ({
    updateOne: {
      filter: { _id: new Types.ObjectId(c.id), moduleId: moduleObjectId, state: trusted({ $in: LIVE_ALERT_STATES }) },
      update: {
        $set: { state: 'resolved', closedAt: at, closedBy: 'waymark', closeExplanation: c.explanation },
        $push: { history: { at, kind: 'closed', state: 'resolved', actorUserId: null, actorName: 'Waymark', note: c.explanation } },
      },
    },
  }));
  await queuedWrite(moduleAlertsWriteKey(moduleId), () => AlertModel.bulkWrite(ops as never, { ordered: false }));
  await markModuleViewChanged(moduleId, 'alerts');
}

export interface AlertFilter {
  audiences: readonly AlertAudience[];
  /** Limit to these members (a mentor's mentees); undefined for every member. */
  memberIds?: readonly string[];
  states?: readonly AlertState[];
  rules?: readonly AlertRule[];
}

function filterQuery(moduleIds: string | readonly string[], f: AlertFilter): Record<string, unknown> {
  const moduleId = typeof moduleIds === 'string' ? new Types.ObjectId(moduleIds) : trusted({ $in: moduleIds.map((id) => new Types.ObjectId(id)) });
  const q: Record<string, unknown> = { moduleId, audience: trusted({ $in: [...f.audiences] }) };
  if (f.memberIds) q.memberId = trusted({ $in: f.memberIds.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id)) });
  if (f.states) q.state = trusted({ $in: [...f.states] });
  if (f.rules) q.rule = trusted({ $in: [...f.rules] });
  return q;
}

async function findAlertsNewestFirst(query: Record<string, unknown>): Promise<AlertRecord[]> {
  const docs = await AlertModel.find(query).sort({ openedAt: -1, _id: -1 }).batchSize(WHOLE_RESULT_BATCH).lean();
  return docs.map((d) => toAlert(d as Record<string, unknown>));
}

export async function listAlerts(moduleId: string, f: AlertFilter): Promise<AlertRecord[]> {
  return findAlertsNewestFirst(filterQuery(moduleId, f));
}

/** The alerts of several modules in one read (a page across the platform's modules), newest first. */
export async function listAlertsOfModules(moduleIds: readonly string[], f: AlertFilter): Promise<AlertRecord[]> {
  return moduleIds.length === 0 ? [] : findAlertsNewestFirst(filterQuery(moduleIds, f));
}

/** Alerts opened at or after `since`, for the weekly digest (counts only leave Waymark). */
export async function listAlertsOpenedSince(moduleId: string, since: Date, audiences: readonly AlertAudience[]): Promise<Array<{ rule: AlertRule; audience: AlertAudience; state: AlertState }>> {
  const docs = await AlertModel.find(
    { moduleId: new Types.ObjectId(moduleId), audience: trusted({ $in: [...audiences] }), openedAt: trusted({ $gte: since }) },
    { rule: 1, audience: 1, state: 1, _id: 0 },
  ).lean();
  return docs.map((d) => ({ rule: d.rule as AlertRule, audience: d.audience as AlertAudience, state: d.state as AlertState }));
}

export async function findAlert(moduleId: string, alertId: string): Promise<AlertRecord | null> {
  if (!Types.ObjectId.isValid(alertId)) return null;
  const d = await AlertModel.findOne({ _id: new Types.ObjectId(alertId), moduleId: new Types.ObjectId(moduleId) }).lean();
  return d ? toAlert(d as Record<string, unknown>) : null;
}

export interface AlertStateChange {
  state: AlertState;
  note: string;
  /** Required when dismissing: why staff judged the alert not to need a contact. */
  dismissReason?: string;
}

/** A person's change of state; closing states record who closed it. Returns the updated alert, or null if it is not in the module. */
export async function changeAlertState(moduleId: string, alertId: string, change: AlertStateChange, actor: Actor, at: Date): Promise<AlertRecord | null> {
  if (!Types.ObjectId.isValid(alertId)) return null;
  const closing = change.state === 'resolved' || change.state === 'dismissed';
  const set: Record<string, unknown> = { state: change.state };
  if (closing) {
    set.closedAt = at;
    set.closedBy = 'staff';
  } else {
    set.closedAt = null;
    set.closedBy = null;
    set.closeExplanation = '';
  }
  if (change.state === 'dismissed') set.dismissReason = change.dismissReason ?? '';
  const note = change.state === 'dismissed' && change.dismissReason ? [change.dismissReason, change.note].filter(Boolean).join(' — ') : change.note;
  const d = await queuedWrite(moduleAlertsWriteKey(moduleId), () =>
    AlertModel.findOneAndUpdate(
      { _id: new Types.ObjectId(alertId), moduleId: new Types.ObjectId(moduleId) },
      { $set: set, $push: { history: { at, kind: 'state', state: change.state, actorUserId: actor.userId, actorName: actor.name, note } } },
      { new: true },
    ).lean(),
  );
  if (d) await markModuleViewChanged(moduleId, 'alerts');
  return d ? toAlert(d as Record<string, unknown>) : null;
}

/** Marks a member's live alerts (of the given audiences) as contacted, after staff record a supportive contact. */
export async function markMemberAlertsContacted(moduleId: string, memberId: string, audiences: readonly AlertAudience[], actor: Actor, note: string, at: Date): Promise<number> {
  const res = await queuedWrite(moduleAlertsWriteKey(moduleId), () =>
    AlertModel.updateMany(
      {
        moduleId: new Types.ObjectId(moduleId),
        memberId: new Types.ObjectId(memberId),
        audience: trusted({ $in: [...audiences] }),
        state: trusted({ $in: ['open', 'acknowledged'] }),
      },
      { $set: { state: 'contacted' }, $push: { history: { at, kind: 'state', state: 'contacted', actorUserId: actor.userId, actorName: actor.name, note } } },
    ),
  );
  await markModuleViewChanged(moduleId, 'alerts');
  return res.modifiedCount;
}
