import type { CurrentLaunch } from '../web/launch-session';
import { appendAuditEntry } from '../store/audit-repository';

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
  await appendAuditEntry({
    at,
    platformId: launch.session.platformId,
    moduleId: launch.module.id,
    actorUserId: launch.session.userId,
    actorRole: launch.roles.primary ?? 'none',
    learnerMemberId,
    action,
    detail,
  });
}
