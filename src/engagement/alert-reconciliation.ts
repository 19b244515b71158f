import {
  activityResumedExplanation,
  duplicateExplanation,
  gapNoLongerCountsExplanation,
  levelRecoveredExplanation,
  levelRuleStoppedExplanation,
  memberLeftExplanation,
} from './alert-evidence';
import type {
  AlertCandidate,
  AlertReconciliation,
  AlertRefresh,
  AlertState,
  AnalysedWeek,
  DayKey,
  MemberIndicators,
  StoredAlert,
} from './types';

/** What closing explanations may quote: the analysis that produced the candidates fits as it is. */
export interface ReconciliationContext {
  today: DayKey;
  members: readonly MemberIndicators[];
  weeks: readonly AnalysedWeek[];
}

/** States in which staff are still working on an alert; only these are refreshed or closed. */
const LIVE_STATES: ReadonlySet<AlertState> = new Set(['open', 'acknowledged', 'contacted']);

function identity(alert: { memberId: string; audience: string; key: string }): string {
  return `${alert.memberId}\u0000${alert.audience}\u0000${alert.key}`;
}

function byId(a: StoredAlert, b: StoredAlert): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sameEvidence(stored: StoredAlert, candidate: AlertCandidate): boolean {
  if (!stored.evidence) return false;
  return stored.evidence.text === candidate.evidence.text && JSON.stringify(stored.evidence.figures) === JSON.stringify(candidate.evidence.figures);
}

/** The rule behind an alert, looking through the sponsored-visa wrapper ('sponsored-visa/no-engagement/…'). */
function underlyingRule(alert: StoredAlert): string {
  const parts = alert.key.split('/');
  return alert.rule === 'sponsoredVisa' ? (parts[1] ?? '') : (parts[0] ?? '');
}

function sinceOf(alert: StoredAlert): DayKey {
  return alert.since ?? alert.key.split('/').pop() ?? '';
}

function latestJudgedWeek(member: MemberIndicators, weeks: readonly AnalysedWeek[]): { week: AnalysedWeek | undefined; level: number | null } | null {
  for (let i = member.weeks.length - 1; i >= 0; i--) {
    const entry = member.weeks[i];
    if (entry && entry.level !== null) return { week: weeks.find((w) => w.number === entry.weekNumber), level: entry.level };
  }
  return null;
}

/** Why an alert whose rule no longer holds is being closed, in words staff can check. */
export function closureExplanation(alert: StoredAlert, member: MemberIndicators | undefined, context: ReconciliationContext): string {
  if (!member) return memberLeftExplanation(null);
  if (member.status !== 'active') return memberLeftExplanation(member.status);
  if (!member.isLearner) return memberLeftExplanation('not a learner');
  const rule = underlyingRule(alert);
  if (rule === 'no-engagement') {
    const resumed = member.lastAccessAny !== null && member.lastAccessAny >= sinceOf(alert);
    return resumed ? activityResumedExplanation(member.lastAccessAny as DayKey) : gapNoLongerCountsExplanation(context.today);
  }
  const name = rule === 'sudden-drop' ? 'a sudden drop' : 'persistent low engagement';
  const latest = latestJudgedWeek(member, context.weeks);
  return latest ? levelRecoveredExplanation(name, latest.week, latest.level) : levelRuleStoppedExplanation(name, context.today);
}

/**
 * Pure reconciliation of stored alerts with fresh candidates: new episodes open, live ones get fresh
 * evidence, live ones whose rule stopped holding close with an explanation. An episode staff resolved or
 * dismissed is never raised again (a new episode has a new key). Nothing here contacts a student.
 */
export function reconcileAlerts(
  stored: readonly StoredAlert[],
  candidates: readonly AlertCandidate[],
  context: ReconciliationContext,
): AlertReconciliation {
  const storedByIdentity = new Map<string, StoredAlert[]>();
  for (const alert of [...stored].sort(byId)) {
    const list = storedByIdentity.get(identity(alert)) ?? [];
    list.push(alert);
    storedByIdentity.set(identity(alert), list);
  }
  const toOpen: AlertCandidate[] = [];
  const toRefresh: AlertRefresh[] = [];
  const kept = new Set<string>();
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const id = identity(candidate);
    if (seen.has(id)) continue;
    seen.add(id);
    const matches = storedByIdentity.get(id) ?? [];
    const live = matches.find((alert) => LIVE_STATES.has(alert.state));
    if (live) {
      kept.add(live.id);
      if (!sameEvidence(live, candidate)) toRefresh.push({ id: live.id, candidate });
    } else if (matches.length === 0) {
      toOpen.push(candidate);
    }
  }
  const members = new Map(context.members.map((member) => [member.memberId, member]));
  const toClose = [...stored]
    .sort(byId)
    .filter((alert) => LIVE_STATES.has(alert.state) && !kept.has(alert.id))
    .map((alert) => ({
      id: alert.id,
      // Two live alerts for one episode can only come from a race between recomputations: keep the first.
      explanation: seen.has(identity(alert)) ? duplicateExplanation() : closureExplanation(alert, members.get(alert.memberId), context),
    }));
  return { toOpen, toRefresh, toClose };
}
