import { analyseModule, reconcileAlerts, type ModuleAnalysis } from '../engagement';
import { getModuleById } from '../store/module-repository';
import { getModuleSettings } from '../store/module-settings-repository';
import { listMembers } from '../store/member-repository';
import { listModuleRollups } from '../store/daily-activity-repository';
import { listAssignments, listSubmissions } from '../store/assignment-repository';
import { listKnownCauses } from '../store/known-cause-repository';
import { closeAlerts, listAlertsForReconciliation, openAlerts, refreshAlerts, reopenAlerts } from '../store/alert-repository';
import { deleteOlderMemberSnapshots, insertMemberSnapshotGeneration, saveModuleSnapshot, storedSnapshotState } from '../store/module-snapshot-repository';
import { todayIn, toMemberInfos } from './engagement-members';
import { memberSnapshotWrite, moduleSnapshotData } from './module-snapshot-builder';

export interface RecomputeOutcome {
  moduleId: string;
  today: string;
  members: number;
  opened: number;
  refreshed: number;
  closed: number;
  /** Member snapshots written (unchanged members are skipped). */
  written: number;
}

function identityOf(alert: { memberId: string; audience: string; key: string }): string {
  return `${alert.memberId}|${alert.audience}|${alert.key}`;
}

async function analyse(moduleId: string, now: Date): Promise<{ analysis: ModuleAnalysis; write: (at: Date) => Promise<RecomputeOutcome> } | null> {
  const module = await getModuleById(moduleId);
  if (!module) return null;
  const settings = await getModuleSettings(module.id, module.createdAt, module.timeZone);
  const zone = settings.calendar.timeZone;
  const [members, activity, assignments, submissions, knownCauses] = await Promise.all([
    listMembers(module.id),
    listModuleRollups(module.id),
    listAssignments(module.id),
    listSubmissions(module.id),
    listKnownCauses(module.id),
  ]);
  const memberInfos = toMemberInfos(members, zone);
  // Staff activity (a teacher opening Waymark) says nothing about learners and must not name a source in evidence.
  const learners = new Set(memberInfos.filter((m) => m.isLearner).map((m) => m.memberId));
  const learnerActivity = activity.filter((row) => learners.has(row.memberId));
  const analysis = analyseModule({
    calendar: settings.calendar,
    members: memberInfos,
    activity: learnerActivity,
    assignments: assignments.map((a) => ({ id: a.id, title: a.title, dueAt: a.dueAt ? a.dueAt.toISOString() : null })),
    submissions: submissions
      .filter((s) => s.submitted)
      .map((s) => ({ assignmentId: s.assignmentId, memberId: s.memberId, submittedAt: s.submittedAt ? s.submittedAt.toISOString() : null })),
    knownCauses: knownCauses.map((c) => ({ memberId: c.memberId, from: c.from, to: c.to, reason: c.reason })),
    markers: settings.markers ?? undefined,
    thresholds: settings.thresholds,
    today: todayIn(now, zone),
  });
  const write = async (at: Date): Promise<RecomputeOutcome> => {
    const storedAlerts = await listAlertsForReconciliation(module.id);
    // Episodes Waymark closed may come back (a known cause removed): they are reopened, not left closed.
    const closedByWaymark = new Map(storedAlerts.filter((a) => a.closedBy === 'waymark').map((a) => [identityOf(a), a.id]));
    const plan = reconcileAlerts(storedAlerts.filter((a) => a.closedBy !== 'waymark'), analysis.alerts, { today: analysis.today, members: analysis.members, weeks: analysis.weeks });
    const reopenings = plan.toOpen.flatMap((candidate) => {
      const id = closedByWaymark.get(identityOf(candidate));
      return id ? [{ id, candidate }] : [];
    });
    await reopenAlerts(module.id, reopenings, at);
    const opened = (await openAlerts(module.id, plan.toOpen.filter((c) => !closedByWaymark.has(identityOf(c))), at)) + reopenings.length;
    await refreshAlerts(module.id, plan.toRefresh, at);
    await closeAlerts(module.id, plan.toClose, at);
    const rows = analysis.members.map(memberSnapshotWrite);
    const hashes = new Map(rows.map((row) => [row.summary.memberId, row.hash]));
    const stored = await storedSnapshotState(module.id);
    const unchanged = stored !== null && stored.hashes.size === hashes.size && [...hashes].every(([id, hash]) => stored.hashes.get(id) === hash);
    const generation = unchanged ? null : await insertMemberSnapshotGeneration(module.id, rows, at);
    // Written after the members' documents: a module snapshot must never point at figures not stored yet.
    await saveModuleSnapshot(module.id, { computedAt: at, today: analysis.today, dataVersion: module.dataVersion, data: moduleSnapshotData(analysis, settings.calendar, learnerActivity), summaries: rows.map((r) => r.summary), hashes, generation });
    if (generation) await deleteOlderMemberSnapshots(module.id, generation);
    return { moduleId: module.id, today: analysis.today, members: analysis.members.length, opened, refreshed: plan.toRefresh.length, closed: plan.toClose.length, written: unchanged ? 0 : rows.length };
  };
  return { analysis, write };
}

async function recomputeNow(moduleId: string, now: Date): Promise<RecomputeOutcome | null> {
  const run = await analyse(moduleId, now);
  return run ? run.write(now) : null;
}

interface Pending {
  running: Promise<RecomputeOutcome | null>;
  again: { promise: Promise<RecomputeOutcome | null>; now: Date } | null;
}

const inFlight = new Map<string, Pending>();

/**
 * Analyses a module from its rollups, roster, assignments and known causes, then stores alerts (open new
 * episodes, refresh evidence, close with an explanation) and the snapshot pages read. Ingest, xAPI, settings
 * changes and the nightly job call it. Calls for a module that is already being recomputed are folded into one
 * follow-up run, so a burst of imports costs at most two analyses. Deterministic for the same stored data and day;
 * it never contacts a student. Returns null when the module does not exist.
 */
export function recomputeModuleAnalysis(moduleId: string, now: Date = new Date()): Promise<RecomputeOutcome | null> {
  const pending = inFlight.get(moduleId);
  if (pending) {
    if (pending.again) {
      pending.again.now = now > pending.again.now ? now : pending.again.now;
      return pending.again.promise;
    }
    const again = { now, promise: Promise.resolve<RecomputeOutcome | null>(null) };
    again.promise = pending.running.catch(() => null).then(() => recomputeNow(moduleId, again.now));
    pending.again = again;
    return again.promise;
  }
  const entry: Pending = { running: recomputeNow(moduleId, now), again: null };
  inFlight.set(moduleId, entry);
  const settle = (): void => {
    if (entry.again) {
      const next = entry.again;
      entry.running = next.promise;
      entry.again = null;
      void next.promise.then(settle, settle);
      return;
    }
    inFlight.delete(moduleId);
  };
  void entry.running.then(settle, settle);
  return entry.running;
}

/** The analysis without storing anything: for previews and the benchmark. */
export async function analyseStoredModule(moduleId: string, now: Date): Promise<ModuleAnalysis | null> {
  return (await analyse(moduleId, now))?.analysis ?? null;
}
