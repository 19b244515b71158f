import type { MemberStatus } from '../engagement';
import type { MemberSummary, ModuleSnapshot } from '../store/module-snapshot-repository';
import type { Member, Module } from '../store/types';
import { isLearnerMember } from '../store/member-classification';
import { recomputeModuleAnalysis } from './module-analysis-service';

const STATUS: Record<Member['status'], MemberStatus> = { active: 'active', inactive: 'inactive', gone: 'withdrawn' };

/**
 * The stored analysis no longer matches the module: never computed, computed on an earlier day, engagement data
 * arrived since (an import, xAPI statements, a sync, a launch), or the roster changed since (a learner joined,
 * someone left or was marked "not a learner"). Pages then ask for a recomputation.
 */
export function snapshotIsStale(
  snapshot: ModuleSnapshot | null,
  module: Pick<Module, 'dataVersion'>,
  today: string,
  members: readonly Member[],
  summaries: readonly MemberSummary[],
): boolean {
  if (!snapshot || snapshot.today !== today) return true;
  if (snapshot.dataVersion !== module.dataVersion) return true;
  const current = new Set(members.map((m) => m.id));
  if (summaries.some((s) => !current.has(s.memberId))) return true;
  const byId = new Map(summaries.map((s) => [s.memberId, s]));
  return members.some((m) => {
    const s = byId.get(m.id);
    // A new member who is not a learner (a teacher's first launch) changes no figure: no recomputation for them.
    if (!s) return isLearnerMember(m);
    // Someone who was and is not a learner (staff joining or leaving the roster) changes no figure either.
    if (!s.isLearner && !isLearnerMember(m)) return false;
    return s.status !== STATUS[m.status] || s.isLearner !== isLearnerMember(m);
  });
}

/** How long a page waits for a recomputation before showing what is stored (it carries on in the background). */
export const PAGE_RECOMPUTE_WAIT_MS = 4000;

export type RecomputeWait = { state: 'done' } | { state: 'running' } | { state: 'failed'; message: string };

/** Recomputes and waits up to `ms`; a slower run carries on and its result is stored when it ends. */
export async function recomputeWithin(moduleId: string, now: Date, ms = PAGE_RECOMPUTE_WAIT_MS): Promise<RecomputeWait> {
  let timer: NodeJS.Timeout | undefined;
  const work = recomputeModuleAnalysis(moduleId, now).then(
    (): RecomputeWait => ({ state: 'done' }),
    (err: unknown): RecomputeWait => ({ state: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
  const timeout = new Promise<RecomputeWait>((resolve) => (timer = setTimeout(() => resolve({ state: 'running' }), ms)));
  const outcome = await Promise.race([work, timeout]);
  clearTimeout(timer);
  return outcome;
}
