import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { AppError, errors } from '../errors';
import { readLtik } from '../lti/ltik';
import { mapRoles, type RoleSet, type WaymarkRole } from '../lti/role-mapping';
import { findLaunchSession, touchLaunchSession, type LaunchSession } from '../store/launch-session-repository';
import { getModuleById } from '../store/module-repository';
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
 * refuses sessions idle for longer than the configured time: the ltik itself never expires.
 */
export function launchSession(opts: { idleMinutes: number; now?: () => Date }): RequestHandler {
  const now = opts.now ?? (() => new Date());
  return async (_req: Request, res: Response, next: NextFunction) => {
    try {
      const ltik = res.locals.ltik as string | undefined;
      const payload = ltik ? readLtik(ltik) : null;
      if (!ltik || !payload) throw sessionExpired();
      const session = await findLaunchSession(payload.sessionId);
      if (!session || session.userId !== payload.user) throw sessionExpired();
      const at = now();
      if (at.getTime() - session.lastSeenAt.getTime() > opts.idleMinutes * 60_000) throw sessionExpired();
      if (at.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchLaunchSession(session.sessionId, at);
      const module = await getModuleById(session.moduleId);
      if (!module) throw sessionExpired();
      const current: CurrentLaunch = { session, roles: mapRoles(session.roles, session.mentorScope), module, ltik };
      res.locals.launch = current;
      res.locals.ltik = ltik;
      next();
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
