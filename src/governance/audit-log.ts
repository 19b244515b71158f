import type { CurrentLaunch } from '../web/launch-session';
import { appendAuditEntries, appendAuditEntry } from '../store/audit-repository';
import type { WaymarkRole } from '../lti/role-mapping';

/**
 * Records that someone viewed, exported or changed an individual learner's data (named resource.verb).
 * Called in the same step as the action, before the response is sent.
 */
export async function recordAudit(
  launch: CurrentLaunch,
  action: string,
  learnerMemberId: string | null,
  detail: Record<string, string | number | boolean | null> = {},
  at: Date = new Date(),
): Promise<void> {
  await recordAuditInModule(launch, action, { moduleId: launch.module.id, learnerMemberId, actingAs: launch.roles.primary ?? 'none' }, detail, at);
}

/**
 * recordAudit with the module and the role named: for pages a launch opens in one capacity (a student's own panel,
 * an administrator's data-rights pages acting on member records in other modules of the platform).
 */
export async function recordAuditInModule(
  launch: CurrentLaunch,
  action: string,
  // 'visa-compliance': a named officer of the platform's visa team, whatever their role in the launch course.
  target: { moduleId: string | null; learnerMemberId: string | null; actingAs: WaymarkRole | 'visa-compliance' | 'none' },
  detail: Record<string, string | number | boolean | null> = {},
  at: Date = new Date(),
): Promise<void> {
  await appendAuditEntry({
    at,
    platformId: launch.session.platformId,
    moduleId: target.moduleId,
    actorUserId: launch.session.userId,
    actorRole: target.actingAs,
    learnerMemberId: target.learnerMemberId,
    action,
    detail,
  });
}

/** A view of several learners' individual data on one page: one entry per learner, in their own module. */
export async function recordViewOfLearners(
  launch: CurrentLaunch,
  action: string,
  learners: ReadonlyArray<{ moduleId: string; memberId: string }>,
  actingAs: WaymarkRole | 'visa-compliance',
  at: Date = new Date(),
): Promise<void> {
  await appendAuditEntries(
    learners.map((l) => ({ at, platformId: launch.session.platformId, moduleId: l.moduleId, actorUserId: launch.session.userId, actorRole: actingAs, learnerMemberId: l.memberId, action, detail: {} })),
  );
}

/** For work done from the command line or a scheduled job, where no launch names the actor. */
export async function recordOperatorAudit(entry: {
  platformId: string;
  moduleId: string | null;
  actor: 'command-line' | 'scheduled-job';
  learnerMemberId: string | null;
  action: string;
  detail?: Record<string, string | number | boolean | null>;
  at?: Date;
}): Promise<void> {
  await appendAuditEntry({
    at: entry.at ?? new Date(),
    platformId: entry.platformId,
    moduleId: entry.moduleId,
    actorUserId: entry.actor,
    actorRole: 'operator',
    learnerMemberId: entry.learnerMemberId,
    action: entry.action,
    detail: entry.detail ?? {},
  });
}
