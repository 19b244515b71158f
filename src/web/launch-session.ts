import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { AppError, errors } from '../errors';
import { readLtik } from '../lti/ltik';
import { mapRoles, type RoleSet, type WaymarkRole } from '../lti/role-mapping';
import type { LaunchSession } from '../store/launch-session-repository';
import { launchSessionWithModule, touchHeldLaunchSession } from '../store/held-launch-sessions';
import { withViewVersionsOf } from '../store/view-versions-scope';
import type { Module } from '../store/types';

export interface CurrentLaunch {
  session: LaunchSession;
  roles: RoleSet;
  module: Module;
  ltik: string;
}

const TOUCH_EVERY_MS = 60_000;

export const sessionExpired = () =>
  new AppError(401, 'session-expired', 'Your Waymark session has ended', 'For your privacy, Waymark signs you out after a period without use. Open Waymark again from your Moodle course.');

/**
 * Runs after ltijs has verified the launch token (ltik) and its cookie. Loads what the signed launch said and
 * refuses sessions idle for longer than the configured time: the ltik itself never expires. The rest of the
 * request reads the module's view versions from the module loaded here.
 */
export function launchSession(opts: { idleMinutes: number; now?: () => Date }): RequestHandler {
  const now = opts.now ?? (() => new Date());
  const idleMs = opts.idleMinutes * 60_000;
  return async (_req: Request, res: Response, next: NextFunction) => {
    try {
      const ltik = res.locals.ltik as string | undefined;
      const payload = ltik ? readLtik(ltik) : null;
      if (!ltik || !payload) throw sessionExpired();
      const at = now();
      const unusedFor = (s: LaunchSession) => at.getTime() - s.lastSeenAt.getTime();
      let found = await launchSessionWithModule(payload.sessionId);
      // A held session may not know another instance's touch: idle is decided on the stored one.
      if (found && unusedFor(found.session) > idleMs) found = await launchSessionWithModule(payload.sessionId, { stored: true });
      if (!found || found.session.userId !== payload.user) throw sessionExpired();
      const { session, module } = found;
      if (unusedFor(session) > idleMs) throw sessionExpired();
      if (unusedFor(session) > TOUCH_EVERY_MS) await touchHeldLaunchSession(session.sessionId, at);
      const current: CurrentLaunch = { session, roles: mapRoles(session.roles, session.mentorScope), module, ltik };
      res.locals.launch = current;
      res.locals.ltik = ltik;
      withViewVersionsOf(module, next);
    } catch (err) {
      next(err);
    }
  };
}

export function currentLaunch(res: Response): CurrentLaunch {
  const launch = res.locals.launch as CurrentLaunch | undefined;
  if (!launch) throw sessionExpired();
  return launch;
}

/** Lets the request through when the launch holds any of the roles. */
export function requireRole(...allowed: WaymarkRole[]): RequestHandler {
  return (_req, res, next) => {
    const launch = currentLaunch(res);
    if (allowed.some((r) => launch.roles.all.has(r))) return next();
    next(errors.forbidden());
  };
}
